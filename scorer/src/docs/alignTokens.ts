import { InputError } from '../errors.js';
import { isSpaceCodePoint, pyLength, withoutSpace } from './pythonText.js';

/** Token-to-token alignment in both directions, as spaCy's AlignmentArray. */
export class TokenAlignment {
  private forward: number[][] | undefined;
  private backward: number[][] | undefined;

  /** Arrays of the alignment; `identityLength` stands for tokenizations alike, whose arrays are built when asked for. */
  constructor(x2y: number[][] | undefined, y2x: number[][] | undefined, private readonly identityLength = 0) {
    this.forward = x2y;
    this.backward = y2x;
  }

  /** For each predicted token, the gold tokens it covers. */
  get x2y(): number[][] {
    return (this.forward ??= Array.from({ length: this.identityLength }, (_, i) => [i]));
  }

  /** For each gold token, the predicted tokens it covers. */
  get y2x(): number[][] {
    return (this.backward ??= Array.from({ length: this.identityLength }, (_, i) => [i]));
  }

  /** AlignmentArray slicing: the aligned indices of tokens [start, end), in order. */
  x2yRange(start: number, end: number): number[] {
    const out: number[] = [];
    for (let i = start; i < end; i++) out.push(...(this.x2y[i] ?? []));
    return out;
  }
}

/**
 * spaCy's `get_alignments` (training/align.pyx), step for step: characters of
 * the lowercased token texts are matched, identical tokens that start at the
 * same place jump together, and unmatched whitespace is skipped. Texts that
 * differ in anything but case and whitespace cannot be aligned.
 */
export function alignTokens(predicted: readonly string[], gold: readonly string[]): TokenAlignment {
  return sameNonEmptyTokens(predicted, gold) ? identityAlignment(predicted.length) : alignByCharacters(predicted, gold);
}

/** The general walk over characters (alignTokens takes a shortcut for identical tokens). */
export function alignByCharacters(predicted: readonly string[], gold: readonly string[]): TokenAlignment {
  const charToTokenA = charToToken(predicted);
  const charToTokenB = charToToken(gold);
  const strA = [...predicted.join('').toLowerCase()].map((c) => c.codePointAt(0)!);
  const strB = [...gold.join('').toLowerCase()].map((c) => c.codePointAt(0)!);
  if (
    withoutSpace(String.fromCodePoint(...strA)) !== withoutSpace(String.fromCodePoint(...strB)) ||
    strA.length !== charToTokenA.length ||
    strB.length !== charToTokenB.length
  ) {
    throw new InputError('the gold and predicted documents have different texts (beyond case and whitespace)', {
      code: 'TEXT_MISMATCH',
    });
  }
  const lengthsA = predicted.map(pyLength);
  const lengthsB = gold.map(pyLength);
  const a2b: Set<number>[] = [];
  const b2a: Set<number>[] = [];
  let charA = 0;
  let charB = 0;
  let previousA = -1;
  let previousB = -1;
  while (charA < strA.length && charB < strB.length) {
    const tokenA = charToTokenA[charA]!;
    const tokenB = charToTokenB[charB]!;
    if (previousA !== tokenA) a2b.push(new Set());
    if (previousB !== tokenB) b2a.push(new Set());
    if (
      predicted[tokenA] === gold[tokenB] &&
      (charA === 0 || charToTokenA[charA - 1]! < tokenA) &&
      (charB === 0 || charToTokenB[charB - 1]! < tokenB)
    ) {
      a2b[a2b.length - 1]!.add(tokenB);
      b2a[b2a.length - 1]!.add(tokenA);
      charA += lengthsA[tokenA]!;
      charB += lengthsB[tokenB]!;
    } else if (strA[charA] === strB[charB]) {
      a2b[a2b.length - 1]!.add(tokenB);
      b2a[b2a.length - 1]!.add(tokenA);
      charA += 1;
      charB += 1;
    } else if (isSpaceCodePoint(strA[charA]!)) {
      charA += 1;
    } else if (isSpaceCodePoint(strB[charB]!)) {
      charB += 1;
    } else {
      throw new InputError('the gold and predicted documents have different texts (beyond case and whitespace)', {
        code: 'TEXT_MISMATCH',
      });
    }
    previousA = tokenA;
    previousB = tokenB;
  }
  for (let k = new Set(charToTokenA.slice(charA)).size; k > 0; k--) a2b.push(new Set());
  for (let k = new Set(charToTokenB.slice(charB)).size; k > 0; k--) b2a.push(new Set());
  const sorted = (sets: Set<number>[]) => sets.map((set) => [...set].sort((x, y) => x - y));
  return new TokenAlignment(sorted(a2b), sorted(b2a));
}

// For every code point of the lowercased tokens, the token it belongs to.
function charToToken(tokens: readonly string[]): number[] {
  const map: number[] = [];
  tokens.forEach((token, i) => {
    const length = pyLength(token.toLowerCase());
    for (let k = 0; k < length; k++) map.push(i);
  });
  return map;
}

// The common case, documents tokenized alike: every token aligns with itself
// (identical tokens starting at the same character jump together), computed
// without walking the characters. Empty tokens take the general path.
function sameNonEmptyTokens(predicted: readonly string[], gold: readonly string[]): boolean {
  if (predicted.length !== gold.length) return false;
  for (let i = 0; i < predicted.length; i++) {
    if (predicted[i] !== gold[i] || predicted[i] === '') return false;
  }
  return true;
}

// Families that read no alignment (seqeval, sentences) never build its arrays.
function identityAlignment(length: number): TokenAlignment {
  return new TokenAlignment(undefined, undefined, length);
}
