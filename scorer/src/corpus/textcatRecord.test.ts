import { describe, expect, it } from 'vitest';
import { parseTextcatRecord } from './textcatRecord.js';

const parse = (line: string | Uint8Array) =>
  parseTextcatRecord(typeof line === 'string' ? Buffer.from(line) : line, 'corpus.jsonl', 42);

describe('parseTextcatRecord', () => {
  it('keeps the categories in document order', () => {
    expect(parse('{"text":"hi","cats":{"spam":1.0,"ham":0,"x":true},"meta":{}}')).toEqual({
      text: 'hi',
      cats: [
        ['spam', 1],
        ['ham', 0],
        ['x', 1],
      ],
    });
  });

  it.each([
    ['{"text":"hi","cats":', /corpus\.jsonl: byte 42: invalid JSON/],
    ['["text"]', /byte 42: a record must be a JSON object/],
    ['{"cats":{}}', /byte 42: "text" must be a string/],
    ['{"text":"x","cats":[1]}', /byte 42: "cats" must be an object/],
    ['{"text":"x","cats":{"a":"1"}}', /byte 42: "cats"."a" must be a finite number/],
  ])('rejects %s', (line, message) => {
    expect(() => parse(line)).toThrow(message);
  });

  it('rejects invalid UTF-8 with the offset', () => {
    expect(() => parse(new Uint8Array([0x7b, 0xff, 0x7d]))).toThrow(/corpus\.jsonl: byte 42: not valid UTF-8/);
  });
});
