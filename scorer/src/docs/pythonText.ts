/**
 * The few Python `str` behaviours the reference scorer relies on, over code
 * points (Python's unit) rather than UTF-16 code units (JavaScript's).
 */

// Every code point for which CPython's str.isspace() is true.
const PYTHON_SPACE = new Set([
  0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x1c, 0x1d, 0x1e, 0x1f, 0x20, 0x85, 0xa0, 0x1680, 0x2000, 0x2001, 0x2002, 0x2003,
  0x2004, 0x2005, 0x2006, 0x2007, 0x2008, 0x2009, 0x200a, 0x2028, 0x2029, 0x202f, 0x205f, 0x3000,
]);

export function isSpaceCodePoint(codePoint: number): boolean {
  return PYTHON_SPACE.has(codePoint);
}

/** str.isspace(): non-empty and all whitespace. */
export function pyIsSpace(text: string): boolean {
  if (text.length === 0) return false;
  for (const char of text) if (!PYTHON_SPACE.has(char.codePointAt(0)!)) return false;
  return true;
}

/** str.strip() with no argument. */
export function pyStrip(text: string): string {
  const chars = [...text];
  let start = 0;
  let end = chars.length;
  while (start < end && PYTHON_SPACE.has(chars[start]!.codePointAt(0)!)) start++;
  while (end > start && PYTHON_SPACE.has(chars[end - 1]!.codePointAt(0)!)) end--;
  return chars.slice(start, end).join('');
}

/** "".join(text.split()): the text without any whitespace. */
export function withoutSpace(text: string): string {
  let out = '';
  for (const char of text) if (!PYTHON_SPACE.has(char.codePointAt(0)!)) out += char;
  return out;
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
  private readonly offsets: number[];

  constructor(readonly text: string) {
    this.offsets = [];
    let unit = 0;
    for (const char of text) {
      this.offsets.push(unit);
      unit += char.length;
    }
    this.offsets.push(unit);
  }

  get length(): number {
    return this.offsets.length - 1;
  }

  slice(start: number, end: number): string {
    return this.text.slice(this.offsets[start], this.offsets[end]);
  }

  /** text[position:].index(needle) + position in code points, or -1. */
  indexOf(needle: string, position: number): number {
    const unit = this.text.indexOf(needle, this.offsets[position]);
    if (unit < 0) return -1;
    // Code unit offsets map back through a binary search.
    let low = position;
    let high = this.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (this.offsets[middle]! < unit) low = middle + 1;
      else high = middle;
    }
    return low;
  }

  codePointAt(index: number): number {
    return this.text.codePointAt(this.offsets[index]!)!;
  }
}
