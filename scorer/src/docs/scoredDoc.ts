/**
 * A document as spaCy's scorer sees it: tokens with their attributes and the
 * document-level annotations. Values mirror spaCy's token struct, so missing
 * annotation stays distinguishable from an empty value.
 */
export interface ScoredToken {
  text: string;
  /** Character offset in the document text, in code points (Python's unit). */
  idx: number;
  /** Length in code points. */
  length: number;
  /** A single trailing space follows the token. */
  space: boolean;
  /** null: not annotated (spaCy's 0). */
  tag: string | null;
  pos: string | null;
  /** Normalized UD FEATS ("Case=Nom|Number=Sing"), "_" for an empty analysis, null when missing. */
  morph: string | null;
  lemma: string | null;
  dep: string | null;
  /** Absolute index of the head token (itself when missing). */
  head: number;
  /** 1 starts a sentence, -1 does not, 0 unknown. */
  sentStart: 1 | -1 | 0;
  /** 0 missing, 1 inside, 2 outside, 3 begins an entity. */
  entIob: 0 | 1 | 2 | 3;
}

/** Length in code points, as Python's len(str), without building an array of them. */
export function codePointLength(text: string): number {
  let count = text.length;
  for (let i = 0; i + 1 < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit >= 0xd800 && unit <= 0xdbff) {
      const next = text.charCodeAt(i + 1);
      // A high surrogate followed by a low one is one code point; a lone one counts alone, as in Python.
      if (next >= 0xdc00 && next <= 0xdfff) {
        count -= 1;
        i += 1;
      }
    }
  }
  return count;
}

/** A token with no annotation: what a reader fills in. Lengths and offsets in code points. */
export function unannotatedToken(text: string, idx: number, space: boolean, index: number): ScoredToken {
  return {
    text,
    idx,
    length: codePointLength(text),
    space,
    tag: null,
    pos: null,
    morph: null,
    lemma: null,
    dep: null,
    head: index,
    sentStart: 0,
    entIob: 0,
  };
}

export interface TokenSpan {
  /** Token index of the first token. */
  start: number;
  /** Token index after the last token. */
  end: number;
  label: string;
}

export interface ScoredDoc {
  /** From the record's "id" field, or the record's position. */
  id: string;
  text: string;
  tokens: ScoredToken[];
  /** Entities as spans; meaningful when some token has entIob ≠ 0. */
  ents: TokenSpan[];
  /** Span groups by key; a key that is present marks the group annotated. */
  spans: Map<string, TokenSpan[]>;
  cats: ReadonlyArray<readonly [string, number]>;
  /** The whitespace between tokens is not known (spaCy's has_unknown_spaces). */
  hasUnknownSpaces: boolean;
  /**
   * Entity tags as written, one sequence per sentence (IOB/BILOU files), for
   * seqeval; null where the document has none.
   */
  tagSequences: string[][] | null;
}

export type TokenAttribute = 'tag' | 'pos' | 'morph' | 'lemma' | 'dep';

/** spaCy's Doc.has_annotation: any token carries a value; empty docs always do. */
export function hasAnnotation(doc: ScoredDoc, attribute: TokenAttribute | 'ENT_IOB' | 'SENT_START'): boolean {
  const tokens = doc.tokens;
  if (tokens.length === 0) return true;
  if (attribute === 'ENT_IOB') return tokens.some((token) => token.entIob !== 0);
  if (attribute === 'SENT_START') return tokens.length === 1 || tokens.some((token, i) => i > 0 && token.sentStart !== 0);
  return tokens.some((token) => token[attribute] !== null);
}

/** Doc.sents: spans between sentence starts; tokens of unknown state stay in the current sentence. */
export function sentencesOf(doc: ScoredDoc): TokenSpan[] {
  const sentences: TokenSpan[] = [];
  let start = 0;
  for (let i = 1; i < doc.tokens.length; i++) {
    if (doc.tokens[i]!.sentStart === 1) {
      sentences.push({ start, end: i, label: '' });
      start = i;
    }
  }
  if (start !== doc.tokens.length) sentences.push({ start, end: doc.tokens.length, label: '' });
  return sentences;
}

/** Span.text: the tokens with the spaces between them, without the last token's. */
export function spanText(doc: ScoredDoc, span: { start: number; end: number }): string {
  let text = '';
  for (let i = span.start; i < span.end; i++) {
    const token = doc.tokens[i]!;
    text += token.text;
    if (i < span.end - 1 && token.space) text += ' ';
  }
  return text;
}
