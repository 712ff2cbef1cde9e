import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { docFromJsonLine } from '../docs/docFromJson.js';
import { InputError } from '../errors.js';
import { parseTextcatRecord } from '../corpus/textcatRecord.js';
import { jsString, shownJson } from './jsString.js';

const origin = { file: 'corpus.jsonl', byteOffset: 17, fallbackId: 'corpus.jsonl@17' };

describe('jsString', () => {
  it("is String() for every JSON value String() can write", () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 3 }), (value) => {
        let written: string | undefined;
        try {
          written = String(value);
        } catch {
          // {"toString": …} somewhere inside: the next test's case.
        }
        fc.pre(written !== undefined);
        expect(jsString(value)).toBe(written);
      }),
      { numRuns: 2_000 },
    );
  });

  it('writes an object that names toString or valueOf as String() writes any other object', () => {
    for (const text of ['{"toString":null}', '{"valueOf":1,"toString":[]}', '[1,{"toString":null},null,[2,3]]']) {
      const value = JSON.parse(text) as unknown;
      expect(() => String(value)).toThrow(TypeError);
      expect(jsString(value)).toBe(Array.isArray(value) ? '1,[object Object],,2,3' : '[object Object]');
    }
  });

  it('quotes a value short, whatever it holds', () => {
    expect(shownJson(JSON.parse('{"toString":null}'))).toBe('{"toString":null}');
    expect(shownJson(3)).toBe('3');
    expect(shownJson('x'.repeat(100))).toBe(`"${'x'.repeat(39)}…`);
  });
});

describe('a record whose values name what Object.prototype has', () => {
  it('is a located bad record, not a TypeError, where it is out of place', () => {
    const line = '{"text":"ab","tokens":[{"id":0,"start":{"toString":null},"end":2}]}';
    let error: unknown;
    try {
      docFromJsonLine(line, origin);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).message).toBe(
      'corpus.jsonl: byte 17: document corpus.jsonl@17: token 0 has start {"toString":null} and end 2, outside the text of 2 characters',
    );
    expect((error as InputError).byteOffset).toBe(17);
  });

  it('names the document as String() would where it is the id', () => {
    const doc = docFromJsonLine('{"id":{"toString":null},"text":"ab","tokens":[{"id":0,"start":0,"end":2}]}', origin);
    expect(doc.id).toBe('[object Object]');
    const record = parseTextcatRecord(Buffer.from('{"id":[{"valueOf":null}],"text":"ab","cats":{"A":1}}'), 'cats.jsonl', 0);
    expect(record.id).toBe('[object Object]');
  });
});
