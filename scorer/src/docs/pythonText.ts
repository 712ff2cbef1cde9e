/**
 * The few Python `str` behaviours the reference scorer relies on, over code
 * points (Python's unit) rather than UTF-16 code units (JavaScript's).
 */

// Every code point for which CPython's str.isspace() is true.
const PYTHON_SPACE = new Set([
  0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x1c, 0x1d, 0x1e, 0x1f, 0x20, 0x85, 0xa0, 0x1680, 0x2000, 0x2001, 0x2002, 0x2003,
  0x2004, 0x2005, 0x2006, 0x2007, 0x2008, 0x2009, 0x200a, 0x2028, 0x2029, 0x202f, 0x205f, 0x3000,
]);

// The same set as a regular expression class. Every one is a single UTF-16 unit and no surrogate is
// one, so matching code units is matching code points: the engine's scan instead of a loop in JavaScript.
const SPACE_CLASS = '[\\t-\\r\\x1c-\\x20\\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]';
const ALL_SPACE = new RegExp(`^${SPACE_CLASS}+$`);
const EDGE_SPACE = new RegExp(`^${SPACE_CLASS}+|${SPACE_CLASS}+$`, 'g');
const ANY_SPACE = new RegExp(`${SPACE_CLASS}+`, 'g');

export function isSpaceCodePoint(codePoint: number): boolean {
  return PYTHON_SPACE.has(codePoint);
}

// A visible ASCII character is never whitespace: most tokens are answered by their first unit.
function startsVisible(text: string): boolean {
  const first = text.charCodeAt(0);
  return first > 0x20 && first < 0x7f;
}

/** str.isspace(): non-empty and all whitespace. */
export function pyIsSpace(text: string): boolean {
  return text.length > 0 && !startsVisible(text) && ALL_SPACE.test(text);
}

/** str.strip() with no argument. */
export function pyStrip(text: string): string {
  return text.replace(EDGE_SPACE, '');
}

/** "".join(text.split()): the text without any whitespace. */
export function withoutSpace(text: string): string {
  return text.replace(ANY_SPACE, '');
}

/** len(text) in Python: code points. */
export function pyLength(text: string): number {
  let length = 0;
  for (const _ of text) length++;
  return length;
}

/**
 * str.lower(). JavaScript's toLowerCase applies the same full, locale-free
 * Unicode mapping (İ becomes two code points in both).
 */
export function pyLower(text: string): string {
  return text.toLowerCase();
}

/** Slices a string by code point offsets, as Python indexes strings. */
export class CodePointText {
  /** Code unit offset of each code point; undefined where they are the same (no surrogates). */
  private readonly offsets: number[] | undefined;

  constructor(readonly text: string) {
    if (!/[\uD800-\uDFFF]/.test(text)) return;
    this.offsets = [];
    let unit = 0;
    for (const char of text) {
      this.offsets.push(unit);
      unit += char.length;
    }
    this.offsets.push(unit);
  }

  get length(): number {
    return this.offsets === undefined ? this.text.length : this.offsets.length - 1;
  }

  slice(start: number, end: number): string {
    return this.offsets === undefined ? this.text.slice(start, end) : this.text.slice(this.offsets[start], this.offsets[end]);
  }

  /** text[position:].index(needle) + position in code points, or -1. */
  indexOf(needle: string, position: number): number {
    const offsets = this.offsets;
    if (offsets === undefined) return this.text.indexOf(needle, position);
    let from = offsets[position]!;
    for (;;) {
      const unit = this.text.indexOf(needle, from);
      if (unit < 0) return -1;
      // Code unit offsets map back through a binary search.
      let low = position;
      let high = this.length;
      while (low < high) {
        const middle = (low + high) >> 1;
        if (offsets[middle]! < unit) low = middle + 1;
        else high = middle;
      }
      // A match that starts or ends inside a surrogate pair (a lone surrogate in the needle) is none in Python's code points.
      const end = unit + needle.length;
      if (offsets[low] === unit && !(isHighSurrogate(this.text.charCodeAt(end - 1)) && isLowSurrogate(this.text.charCodeAt(end)))) return low;
      from = unit + 1;
    }
  }

  codePointAt(index: number): number {
    return this.offsets === undefined ? this.text.charCodeAt(index) : this.text.codePointAt(this.offsets[index]!)!;
  }
}

function isHighSurrogate(unit: number): boolean {
  return unit >= 0xd800 && unit <= 0xdbff;
}

function isLowSurrogate(unit: number): boolean {
  return unit >= 0xdc00 && unit <= 0xdfff;
}
