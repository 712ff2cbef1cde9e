/**
 * JSON that keeps the order of object keys as written.
 *
 * A JavaScript object moves keys that look like array indices ("0", "1",
 * "10") to the front in ascending order, whatever the file says; spaCy's
 * scorer depends on the order of user-named keys (argmax ties go to the first
 * category), and reports list labels in the reference's order. Objects whose
 * order a plain object would keep are parsed to plain objects; the others to
 * a `Map`. `stringifyJson` writes maps as JSON objects in insertion order.
 */

/** A key that a JavaScript object would move to the front: a canonical array index. */
export function isIndexKey(key: string): boolean {
  const length = key.length;
  if (length === 0 || length > 10) return false;
  const first = key.charCodeAt(0);
  if (first < 48 || first > 57 || (first === 48 && length > 1)) return false;
  for (let i = 1; i < length; i++) {
    const code = key.charCodeAt(i);
    if (code < 48 || code > 57) return false;
  }
  return length < 10 || Number(key) <= 4_294_967_294;
}

/** Entries of a parsed JSON object, whichever form it took. */
export function entriesOf(value: object): Array<[string, unknown]> {
  return value instanceof Map ? [...(value as Map<string, unknown>).entries()] : Object.entries(value);
}

/** A property of a parsed JSON object, whichever form it took. */
export function propertyOf(value: object, key: string): unknown {
  return value instanceof Map ? (value as Map<string, unknown>).get(key) : (value as Record<string, unknown>)[key];
}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const CONTROL = /[\u0000-\u001f]/;

class JsonParser {
  private position = 0;

  constructor(private readonly text: string) {}

  parse(): unknown {
    const value = this.value();
    this.skipSpace();
    if (this.position < this.text.length) this.fail('unexpected text after the JSON value');
    return value;
  }

  private value(): unknown {
    this.skipSpace();
    const code = this.text.charCodeAt(this.position);
    if (code === 0x7b) return this.object();
    if (code === 0x5b) return this.array();
    if (code === 0x22) return this.string();
    if (code === 0x2d || (code >= 48 && code <= 57)) return this.number();
    for (const [word, literal] of LITERALS) {
      if (this.text.startsWith(word, this.position)) {
        this.position += word.length;
        return literal;
      }
    }
    return this.fail(Number.isNaN(code) ? 'unexpected end of JSON input' : 'unexpected token');
  }

  private object(): object {
    this.position += 1;
    const entries: Array<[string, unknown]> = [];
    let indexKeys = false;
    this.skipSpace();
    if (this.text.charCodeAt(this.position) === 0x7d) {
      this.position += 1;
      return {};
    }
    for (;;) {
      this.skipSpace();
      if (this.text.charCodeAt(this.position) !== 0x22) this.fail('expected a property name');
      const key = this.string();
      indexKeys ||= isIndexKey(key);
      this.skipSpace();
      if (this.text.charCodeAt(this.position) !== 0x3a) this.fail('expected ":"');
      this.position += 1;
      entries.push([key, this.value()]);
      this.skipSpace();
      const next = this.text.charCodeAt(this.position++);
      if (next === 0x7d) break;
      if (next !== 0x2c) this.fail('expected "," or "}"', this.position - 1);
    }
    // A repeated key keeps its first position and its last value, as in JSON.parse and Python.
    return indexKeys ? new Map(entries) : Object.fromEntries(entries);
  }

  private array(): unknown[] {
    this.position += 1;
    const items: unknown[] = [];
    this.skipSpace();
    if (this.text.charCodeAt(this.position) === 0x5d) {
      this.position += 1;
      return items;
    }
    for (;;) {
      items.push(this.value());
      this.skipSpace();
      const next = this.text.charCodeAt(this.position++);
      if (next === 0x5d) return items;
      if (next !== 0x2c) this.fail('expected "," or "]"', this.position - 1);
    }
  }

  private string(): string {
    const start = this.position;
    let end = this.text.indexOf('"', start + 1);
    for (;;) {
      if (end < 0) this.fail('unterminated string', start);
      let backslashes = 0;
      while (this.text.charCodeAt(end - 1 - backslashes) === 0x5c) backslashes += 1;
      if (backslashes % 2 === 0) break;
      end = this.text.indexOf('"', end + 1);
    }
    this.position = end + 1;
    const body = this.text.slice(start + 1, end);
    if (CONTROL.test(body)) this.fail('control character in a string', start);
    if (!body.includes('\\')) return body;
    try {
      return JSON.parse(this.text.slice(start, end + 1)) as string;
    } catch {
      return this.fail('bad escape in a string', start);
    }
  }

  private number(): number {
    NUMBER.lastIndex = this.position;
    const match = NUMBER.exec(this.text);
    if (match === null) this.fail('bad number');
    this.position += match![0].length;
    return Number(match![0]);
  }

  private skipSpace(): void {
    const text = this.text;
    let position = this.position;
    for (;;) {
      const code = text.charCodeAt(position);
      if (code !== 0x20 && code !== 0x0a && code !== 0x0d && code !== 0x09) break;
      position += 1;
    }
    this.position = position;
  }

  private fail(reason: string, at = this.position): never {
    throw new SyntaxError(`${reason} at position ${at} of the JSON text`);
  }
}

const LITERALS: Array<[string, unknown]> = [
  ['true', true],
  ['false', false],
  ['null', null],
];

/** Parses JSON keeping key order: objects with index-like keys become `Map`s. */
export function parseJson(text: string): unknown {
  return new JsonParser(text).parse();
}

/**
 * JSON.stringify's output, but `Map`s are written as objects in insertion
 * order and non-finite numbers as null.
 */
export function stringifyJson(value: unknown, indent = 0): string {
  const parts: string[] = [];
  write(value, '', parts, indent === 0 ? '' : ' '.repeat(indent));
  return parts.join('');
}

function write(value: unknown, margin: string, parts: string[], step: string): void {
  if (value !== null && typeof value === 'object' && typeof (value as { toJSON?: unknown }).toJSON === 'function') {
    value = (value as { toJSON: () => unknown }).toJSON();
  }
  if (value === null || value === undefined || typeof value === 'function') {
    parts.push('null');
    return;
  }
  if (typeof value === 'number') {
    parts.push(Number.isFinite(value) ? String(value) : 'null');
    return;
  }
  if (typeof value === 'string' || typeof value === 'boolean') {
    parts.push(JSON.stringify(value));
    return;
  }
  if (typeof value !== 'object') throw new TypeError(`cannot write a ${typeof value} as JSON`);
  const inner = margin + step;
  const open = step === '' ? '' : `\n${inner}`;
  const close = step === '' ? '' : `\n${margin}`;
  const colon = step === '' ? ':' : ': ';
  if (Array.isArray(value)) {
    if (value.length === 0) {
      parts.push('[]');
      return;
    }
    parts.push('[');
    value.forEach((item, i) => {
      parts.push(i === 0 ? open : `,${open}`);
      write(item, inner, parts, step);
    });
    parts.push(`${close}]`);
    return;
  }
  const entries = entriesOf(value).filter(([, item]) => item !== undefined && typeof item !== 'function');
  if (entries.length === 0) {
    parts.push('{}');
    return;
  }
  parts.push('{');
  entries.forEach(([key, item], i) => {
    parts.push(i === 0 ? open : `,${open}`, JSON.stringify(key), colon);
    write(item, inner, parts, step);
  });
  parts.push(`${close}}`);
}

/**
 * Python's order of strings (by code point). JavaScript's `<` compares UTF-16
 * code units, which puts characters beyond U+FFFF before U+E000–U+FFFF.
 */
export function compareCodePoints(a: string, b: string): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    let x = a.charCodeAt(i);
    let y = b.charCodeAt(i);
    if (x === y) continue;
    if (x >= 0xd800 && y >= 0xd800) {
      // Surrogates (D800–DFFF) stand for code points above every BMP character.
      x = x >= 0xe000 ? x - 0x800 : x + 0x2000;
      y = y >= 0xe000 ? y - 0x800 : y + 0x2000;
    }
    return x - y;
  }
  return a.length - b.length;
}

/**
 * The value as it reads back from its JSON (NaN as null, maps that need no
 * order as plain objects), so that a record computed in this process and one
 * that came over the wire have one shape.
 */
export function asJsonValue<T>(value: T): T {
  return parseJson(stringifyJson(value)) as T;
}
