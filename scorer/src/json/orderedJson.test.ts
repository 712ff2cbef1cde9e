import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compareCodePoints, entriesOf, isIndexKey, parseJson, stringifyJson } from './orderedJson.js';
import { parseJsonRecord } from './parseJsonRecord.js';

// JSON text written from ordered entries, so that keys like "10" come in any order.
type Tree = null | boolean | number | string | Tree[] | { entries: Array<[string, Tree]> };
const key = fc.oneof(fc.string(), fc.constantFrom('0', '1', '2', '10', '01', '-1', '4294967294', '4294967295', '__proto__'));
const { tree } = fc.letrec<{ tree: Tree }>((tie) => ({
  tree: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constant(null),
    fc.boolean(),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.integer(),
    fc.string({ unit: 'grapheme' }),
    fc.array(tie('tree'), { maxLength: 4 }),
    fc.uniqueArray(fc.tuple(key, tie('tree')), { maxLength: 5, selector: ([k]) => k }).map((entries) => ({ entries })),
  ),
}));

function textOf(value: Tree, spaced: boolean): string {
  const gap = spaced ? ' \n\t' : '';
  if (Array.isArray(value)) return `[${gap}${value.map((item) => textOf(item, spaced)).join(`,${gap}`)}${gap}]`;
  if (value !== null && typeof value === 'object') {
    return `{${gap}${value.entries.map(([k, item]) => `${JSON.stringify(k)}${gap}:${gap}${textOf(item, spaced)}`).join(`,${gap}`)}${gap}}`;
  }
  return JSON.stringify(value);
}

// What JSON.parse makes of the value, ignoring order: maps as plain objects.
function plain(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(plain);
  if (value instanceof Map) return Object.fromEntries([...value].map(([k, item]) => [k, plain(item)]));
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, item]) => [k, plain(item)]));
  return value;
}

describe('parseJson and stringifyJson', () => {
  it('read what JSON.parse reads and write it back in the order of the text', () => {
    fc.assert(
      fc.property(tree, fc.boolean(), (value, spaced) => {
        const text = textOf(value, spaced);
        const parsed = parseJson(text);
        expect(plain(parsed)).toEqual(JSON.parse(text));
        expect(stringifyJson(parsed)).toBe(textOf(value, false));
      }),
      { numRuns: 500 },
    );
  });

  it('write exactly what JSON.stringify writes for plain values, pretty or not', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.constantFrom(0, 2), (value, indent) => {
        expect(stringifyJson(value, indent)).toBe(JSON.stringify(value, null, indent === 0 ? undefined : indent));
      }),
      { numRuns: 300 },
    );
  });

  it('keep index-like keys where the text puts them', () => {
    const parsed = parseJson('{"cats": {"1": 0.5, "0": 0.5, "spam": 1}, "text": "a"}') as Record<string, unknown>;
    expect(parsed.cats).toBeInstanceOf(Map);
    expect([...(parsed.cats as Map<string, number>).keys()]).toEqual(['1', '0', 'spam']);
    expect(stringifyJson(parsed)).toBe('{"cats":{"1":0.5,"0":0.5,"spam":1},"text":"a"}');
    // A repeated key keeps its first place and its last value, as in JSON.parse and Python.
    expect(stringifyJson(parseJson('{"2": 1, "1": 2, "2": 3}'))).toBe('{"2":3,"1":2}');
    expect(stringifyJson(new Map([['b', Number.NaN], ['a', undefined]]))).toBe('{"b":null}');
  });

  it.each([
    ['{"a": 1,}', /expected a property name at position 8/],
    ['{"a" 1}', /expected ":" at position 5/],
    ['[1 2]', /expected "," or "]" at position 3/],
    ['"abc', /unterminated string at position 0/],
    ['"a\tb"', /control character/],
    ['"\\x"', /bad escape/],
    ['01', /unexpected text after the JSON value at position 1/],
    ['', /unexpected end of JSON input/],
    ['nul', /unexpected token/],
  ])('reject %j', (text, message) => {
    expect(() => JSON.parse(text)).toThrow();
    expect(() => parseJson(text)).toThrow(message);
  });
});

describe('isIndexKey', () => {
  it.each([
    ['0', true], ['1', true], ['10', true], ['4294967294', true],
    ['4294967295', false], ['01', false], ['-1', false], ['1.0', false], ['', false], [' 1', false], ['1e3', false],
  ])('%j → %s, as a JavaScript object orders it', (key, expected) => {
    expect(isIndexKey(key)).toBe(expected);
    const object: Record<string, number> = { z: 0 };
    object[key] = 1;
    expect(Object.keys(object)[0] === key).toBe(expected);
  });
});

describe('compareCodePoints', () => {
  it("sorts as Python's sorted() does", () => {
    fc.assert(
      fc.property(fc.array(fc.string({ unit: 'grapheme' }), { maxLength: 8 }), (strings) => {
        const byCodePoints = (a: string, b: string) => {
          const x = [...a].map((c) => c.codePointAt(0)!);
          const y = [...b].map((c) => c.codePointAt(0)!);
          for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return x[i]! - y[i]!;
          return x.length - y.length;
        };
        const expected = [...strings].sort(byCodePoints);
        expect([...strings].sort(compareCodePoints)).toEqual(expected);
      }),
      { numRuns: 300 },
    );
    // U+FF21 comes before U+1F389 in Python; UTF-16 units say otherwise.
    expect(['🎉', 'Ａ'].sort(compareCodePoints)).toEqual(['Ａ', '🎉']);
  });
});

describe('parseJsonRecord', () => {
  it('keeps the order of the named objects and leaves the rest to JSON.parse', () => {
    const record = parseJsonRecord('{"cats": {"10": 1, "2": 0}, "spans": {"b": [], "a": []}, "meta": {"9": 1, "8": 2}}', [
      'cats',
      'spans',
    ]) as Record<string, unknown>;
    expect([...(record.cats as Map<string, number>).keys()]).toEqual(['10', '2']);
    expect(Object.keys(record.spans as object)).toEqual(['b', 'a']);
    const fast = parseJsonRecord('{"cats": {"b": 1, "a": 0}}', ['cats']) as Record<string, unknown>;
    expect(fast.cats).not.toBeInstanceOf(Map);
    expect(() => parseJsonRecord('{"cats": ', ['cats'])).toThrow(SyntaxError);
  });
});

describe('parseJsonRecord on generated records', () => {
  it('reads each named object as parseJson does and everything else as JSON.parse does', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.tuple(fc.constantFrom('cats', 'spans', 'text', 'tokens', 'c"ats', 'meta'), tree), { maxLength: 6, selector: ([k]) => k }),
        fc.boolean(),
        (members, spaced) => {
          const text = textOf({ entries: members }, spaced);
          const record = parseJsonRecord(text, ['cats', 'spans', 'c"ats']) as Record<string, unknown>;
          expect(plain(record)).toEqual(JSON.parse(text));
          for (const [name, member] of members) {
            // The named objects keep their own keys in the order written; what lies inside them need not.
            const expected = ['cats', 'spans', 'c"ats'].includes(name) ? parseJson(textOf(member, false)) : JSON.parse(textOf(member, false));
            const keysOf = (value: unknown) => (value !== null && typeof value === 'object' && !Array.isArray(value) ? entriesOf(value).map(([k]) => k) : plain(value));
            expect(keysOf(record[name])).toEqual(keysOf(expected));
          }
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('keeps the last of a repeated member, as JSON.parse does', () => {
    const record = parseJsonRecord('{"cats": {"1": 0}, "cats" : {"2": 1, "10": 0} }', ['cats']) as Record<string, unknown>;
    expect([...(record.cats as Map<string, number>).keys()]).toEqual(['2', '10']);
    // A key repeated inside the object: its first place, its last value (as JSON.parse and Python keep).
    const inner = parseJsonRecord('{"cats": {"1": 0, "0": 1, "1": 2}}', ['cats']) as Record<string, unknown>;
    expect([...(inner.cats as Map<string, number>)]).toEqual([['1', 2], ['0', 1]]);
  });
});
