import { InputError } from '../errors.js';
import { jsString, shownJson } from '../json/jsString.js';
import { entriesOf } from '../json/orderedJson.js';
import { parseJsonRecord } from '../json/parseJsonRecord.js';
import { CodePointText, pyIsSpace, withoutSpace } from './pythonText.js';
import { codePointLength, unannotatedToken, type ScoredDoc, type ScoredToken, type TokenSpan } from './scoredDoc.js';
import { setSentenceStarts } from './setSentenceStarts.js';

/** Universal POS tags spaCy accepts ("" is none). */
const POS_TAGS = new Set([
  'ADJ', 'ADP', 'ADV', 'AUX', 'CCONJ', 'CONJ', 'DET', 'EOL', 'INTJ', 'NOUN', 'NUM', 'PART', 'PRON', 'PROPN',
  'PUNCT', 'SCONJ', 'SPACE', 'SYM', 'VERB', 'X',
]);
const STRING_ATTRIBUTES = ['tag', 'pos', 'morph', 'lemma', 'dep'] as const;

// Objects whose key order the reader keeps: category ties and span keys depend on it.
const ORDERED_DOC_KEYS = ['cats', 'spans'];

/** Where a record came from, for error messages. */
export interface RecordOrigin {
  file: string;
  byteOffset: number;
  /** The document's name when it has no "id": its position in the file. */
  fallbackId: string;
  /** Line number of the document's first line, where known. */
  line?: number;
}

/**
 * A document in the shape of spaCy's `Doc.to_json()`, read as `Doc.from_json`
 * reads it, plus two extensions for what to_json cannot say:
 * `"ents_missing": [{"start", "end"}]` marks tokens whose entity annotation is
 * unknown, and `"has_unknown_spaces": true`. An `"id"` names the document.
 */
export function docFromJson(value: unknown, origin: RecordOrigin): ScoredDoc {
  const record = asObject(value, origin, 'the record');
  const id = record.id === undefined ? origin.fallbackId : jsString(record.id);
  const fail = (reason: string): never => {
    throw new InputError(`${origin.file}: byte ${origin.byteOffset}: document ${id}: ${reason}`, {
      file: origin.file,
      byteOffset: origin.byteOffset,
      code: 'BAD_RECORD',
    });
  };
  if (typeof record.text !== 'string') return fail('"text" must be a string');
  const text = new CodePointText(record.text);
  // A record without tokens (a text-classification corpus line) is a document of no tokens.
  if (record.tokens !== undefined && !Array.isArray(record.tokens)) return fail('"tokens" must be a list');
  const rawTokens = ((record.tokens ?? []) as unknown[]).map((token, i) => asObject(token, origin, `token ${i}`));
  const words = rawTokens.map((token, i) => {
    const { start, end } = token;
    if (!isIndex(start) || !isIndex(end) || start >= end || end > text.length) {
      fail(`token ${i} has start ${shownJson(start)} and end ${shownJson(end)}, outside the text of ${text.length} characters`);
    }
    return text.slice(start as number, end as number);
  });
  const spaces = record.tokens === undefined ? [] : spacesFor(words, record.text, fail);

  const tokens: ScoredToken[] = words.map((word, i) => unannotatedToken(word, rawTokens[i]!.start as number, spaces[i]!, i));

  for (const attribute of [...STRING_ATTRIBUTES, 'head'] as const) {
    const present = rawTokens.filter((token) => token[attribute] !== undefined).length;
    if (present === 0) continue;
    if (present !== rawTokens.length) fail(`"${attribute}" is given for some tokens but not all (spaCy requires all or none)`);
  }
  const hasDep = rawTokens.length > 0 && rawTokens[0]!.dep !== undefined;
  if (rawTokens.length > 0 && rawTokens[0]!.head !== undefined && !hasDep) fail('"head" is given without "dep"');
  rawTokens.forEach((raw, i) => {
    const token = tokens[i]!;
    for (const attribute of STRING_ATTRIBUTES) {
      const attributeValue = raw[attribute];
      if (attributeValue === undefined) continue;
      if (typeof attributeValue !== 'string') fail(`token ${i}: "${attribute}" must be a string`);
      token[attribute] = attributeValue === '' ? null : (attributeValue as string);
    }
    if (token.pos !== null && !POS_TAGS.has(token.pos)) fail(`token ${i}: "${token.pos}" is not a universal POS tag`);
    if (raw.head !== undefined) {
      if (!Number.isInteger(raw.head) || (raw.head as number) < 0 || (raw.head as number) >= tokens.length) {
        fail(`token ${i}: head ${shownJson(raw.head)} is outside the document's ${tokens.length} tokens`);
      }
      token.head = raw.head as number;
    }
  });

  // The first token starting, and the first ending, at each character: a lookup per span, not a scan.
  let starts: Map<unknown, number> | undefined;
  let ends: Map<unknown, number> | undefined;
  const charSpan = (span: unknown, what: string, labelled: boolean): TokenSpan => {
    const object = asObject(span, origin, what);
    const { start, end } = object;
    if (starts === undefined || ends === undefined) {
      starts = new Map();
      ends = new Map();
      for (let t = tokens.length - 1; t >= 0; t--) {
        starts.set(tokens[t]!.idx, t);
        ends.set(tokens[t]!.idx + tokens[t]!.length, t);
      }
    }
    const first = starts.get(start) ?? -1;
    const last = ends.get(end) ?? -1;
    if (!isIndex(start) || !isIndex(end) || first < 0 || last < first) {
      return fail(`${what} [${shownJson(start)}, ${shownJson(end)}) does not start and end on token boundaries`);
    }
    const label = object.label ?? '';
    if (labelled && typeof label !== 'string') fail(`${what}: "label" must be a string`);
    return { start: first, end: last + 1, label: label as string };
  };

  if (tokens.some((token) => token.dep !== null)) {
    setSentenceStarts(tokens);
  } else if (record.sents !== undefined) {
    for (const [i, sentence] of listOf(record.sents, 'sents', fail).entries()) {
      const span = charSpan(sentence, `sentence ${i}`, false);
      tokens[span.start]!.sentStart = 1;
      for (let t = span.start + 1; t < span.end; t++) tokens[t]!.sentStart = -1;
    }
  }

  const ents: TokenSpan[] = [];
  if (record.ents !== undefined) {
    for (const token of tokens) token.entIob = 2;
    for (const [i, ent] of listOf(record.ents, 'ents', fail).entries()) {
      const span = charSpan(ent, `entity ${i}`, true);
      for (let t = span.start; t < span.end; t++) {
        if (tokens[t]!.entIob !== 2) fail(`entity ${i} overlaps another entity`);
        tokens[t]!.entIob = t === span.start ? 3 : 1;
      }
      ents.push(span);
    }
    ents.sort((a, b) => a.start - b.start);
  }
  if (record.ents_missing !== undefined) {
    for (const [i, missing] of listOf(record.ents_missing, 'ents_missing', fail).entries()) {
      const span = charSpan(missing, `ents_missing ${i}`, false);
      for (let t = span.start; t < span.end; t++) {
        if (tokens[t]!.entIob === 1 || tokens[t]!.entIob === 3) fail(`ents_missing ${i} overlaps an entity`);
        tokens[t]!.entIob = 0;
      }
    }
  }

  const spans = new Map<string, TokenSpan[]>();
  if (record.spans !== undefined) {
    for (const [key, group] of entriesOf(asObject(record.spans, origin, '"spans"', true))) {
      spans.set(
        key,
        listOf(group, `spans.${key}`, fail).map((span, i) => charSpan(span, `span ${key}[${i}]`, true)),
      );
    }
  }

  const cats: Array<readonly [string, number]> = [];
  if (record.cats !== undefined) {
    for (const [label, catValue] of entriesOf(asObject(record.cats, origin, '"cats"', true))) {
      const numeric = typeof catValue === 'boolean' ? Number(catValue) : catValue;
      if (typeof numeric !== 'number' || !Number.isFinite(numeric)) fail(`"cats"."${label}" must be a finite number`);
      cats.push([label, numeric as number]);
    }
  }

  return {
    id,
    text: record.text,
    tokens,
    ents,
    spans,
    cats,
    hasUnknownSpaces: record.has_unknown_spaces === true,
    tagSequences: record.ents === undefined ? null : [iob2Tags(tokens, ents)],
  };
}

/** One JSONL line (already decoded) as a document; see docFromJson. */
export function docFromJsonLine(line: string, origin: RecordOrigin): ScoredDoc {
  let value: unknown;
  try {
    value = parseJsonRecord(line, ORDERED_DOC_KEYS);
  } catch (error) {
    throw new InputError(`${origin.file}: byte ${origin.byteOffset}: invalid JSON (${(error as Error).message})`, {
      file: origin.file,
      byteOffset: origin.byteOffset,
      code: 'BAD_RECORD',
    });
  }
  return docFromJson(value, origin);
}

// The entities as IOB2 tags over the whole document.
function iob2Tags(tokens: ScoredToken[], ents: TokenSpan[]): string[] {
  const tags = tokens.map(() => 'O');
  for (const ent of ents) {
    for (let t = ent.start; t < ent.end; t++) tags[t] = `${t === ent.start ? 'B' : 'I'}-${ent.label}`;
  }
  return tags;
}

/**
 * spaCy's `get_words_and_spaces`: which tokens a trailing space follows. The
 * tokens must tile the text the way from_json expects (whitespace beyond one
 * space between words is a token of its own).
 */
function spacesFor(words: string[], text: string, fail: (reason: string) => never): boolean[] {
  if (withoutSpace(words.join('')) !== withoutSpace(text)) fail('the tokens do not spell the text');
  const source = new CodePointText(text);
  const rebuilt: string[] = [];
  const spaces: boolean[] = [];
  let position = 0;
  for (const word of words.filter((w) => !pyIsSpace(w))) {
    const start = source.indexOf(word, position);
    if (start < 0) fail('the tokens do not spell the text');
    if (start > position) {
      rebuilt.push(source.slice(position, start));
      spaces.push(false);
      position = start;
    }
    rebuilt.push(word);
    spaces.push(false);
    position += codePointLength(word);
    if (position < source.length && source.codePointAt(position) === 0x20) {
      spaces[spaces.length - 1] = true;
      position += 1;
    }
  }
  if (position < source.length) {
    rebuilt.push(source.slice(position, source.length));
    spaces.push(false);
  }
  if (rebuilt.length !== words.length || rebuilt.some((word, i) => word !== words[i])) {
    fail('the tokens do not tile the text: whitespace beyond one space between tokens must be a token of its own');
  }
  return spaces;
}

// An ordered object (a Map from parseJsonRecord) stays one where its order matters.
function asObject(value: unknown, origin: RecordOrigin, what: string, ordered: true): object;
function asObject(value: unknown, origin: RecordOrigin, what: string): Record<string, unknown>;
function asObject(value: unknown, origin: RecordOrigin, what: string, ordered = false): object {
  if (value instanceof Map) return ordered ? value : Object.fromEntries(value);
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new InputError(`${origin.file}: byte ${origin.byteOffset}: ${what} must be a JSON object`, {
      file: origin.file,
      byteOffset: origin.byteOffset,
      code: 'BAD_RECORD',
    });
  }
  return value;
}

function listOf(value: unknown, what: string, fail: (reason: string) => never): unknown[] {
  if (!Array.isArray(value)) return fail(`"${what}" must be a list`);
  return value;
}

function isIndex(value: unknown): value is number {
  return Number.isInteger(value) && (value as number) >= 0;
}
