import { basename } from 'node:path';
import { InputError } from '../errors.js';
import { unannotatedToken, type ScoredDoc, type ScoredToken, type TokenSpan } from '../docs/scoredDoc.js';
import { commentValue } from './blockDocuments.js';
import { lineWhere, type LineBlock } from './readLineBlocks.js';

const TAG = /^(O|[BIESLU]-.+)$/;

/**
 * One document of a column file with entity tags: `index<TAB>token<TAB>tag…`
 * (Universal NER) or `token … tag` (CoNLL 2003, tag last). Tags stay as
 * written for seqeval; entities for spaCy's scores follow spaCy's Doc(ents=…):
 * BILOU/IOBES tags read as IOB (S/U→B, E/L→I), then an I- after O or after a
 * different type begins an entity. The spaces between tokens are not known.
 */
export function iobDoc(path: string, sentences: LineBlock[]): ScoredDoc {
  const id = commentValue(sentences, 'newdoc id') ?? commentValue(sentences, 'sent_id') ?? `${basename(path)}@${sentences[0]!.offset}`;
  const words: string[] = [];
  const tagSequences: string[][] = [];
  const sentenceStarts = new Set<number>();
  for (const sentence of sentences) {
    const tags: string[] = [];
    sentenceStarts.add(words.length);
    for (const line of sentence.lines) {
      if (line.text.startsWith('#')) continue;
      const fields = line.text.includes('\t') ? line.text.split('\t') : line.text.trim().split(/\s+/);
      const indexed = fields.length >= 3 && /^\d+$/.test(fields[0]!);
      const word = indexed ? fields[1]! : fields[0]!;
      const tag = indexed ? fields[2]! : fields[fields.length - 1]!;
      if (fields.length < 2 || word === '' || !TAG.test(tag)) {
        throw new InputError(
          `${lineWhere(path, line)}: document ${id}: expected a token and an IOB tag (O, B-TYPE, I-TYPE, …), found "${line.text}"`,
          { file: path, byteOffset: line.offset, code: 'BAD_IOB' },
        );
      }
      words.push(word);
      tags.push(tag);
    }
    tagSequences.push(tags);
  }
  let text = '';
  const tokens: ScoredToken[] = words.map((word, i) => {
    const token: ScoredToken = {
      ...unannotatedToken(word, [...text].length, true, i),
      sentStart: sentenceStarts.has(i) ? 1 : -1,
      entIob: 2,
    };
    text += `${word} `;
    return token;
  });
  const ents = entsFromTags(tokens, tagSequences.flat());
  return { id, text, tokens, ents, spans: new Map(), cats: [], hasUnknownSpaces: true, tagSequences };
}

// Doc.__init__(ents=…): repair to IOB2, then read entities off B/I runs.
// spaCy rejects a document whose tags start with I- (E093); it is read as
// B-, the repair spaCy applies to an I- after O.
function entsFromTags(tokens: ScoredToken[], raw: string[]): TokenSpan[] {
  const tags = raw.map((tag) => tag.replace(/^[SU]-/, 'B-').replace(/^[EL]-/, 'I-'));
  if (tags[0]?.startsWith('I')) tags[0] = `B${tags[0].slice(1)}`;
  for (let i = 0; i + 1 < tags.length; i++) {
    const here = tags[i]!;
    const next = tags[i + 1]!;
    if (here.startsWith('O') && next.startsWith('I')) tags[i + 1] = `B${next.slice(1)}`;
    if ((here.startsWith('B') || here.startsWith('I')) && next.startsWith('I') && here.slice(1) !== next.slice(1)) {
      tags[i + 1] = `B${tags[i + 1]!.slice(1)}`;
    }
  }
  const ents: TokenSpan[] = [];
  tags.forEach((tag, i) => {
    if (tag === 'O') return;
    const label = tag.slice(2);
    if (tag.startsWith('B')) {
      tokens[i]!.entIob = 3;
      ents.push({ start: i, end: i + 1, label });
    } else {
      tokens[i]!.entIob = 1;
      ents[ents.length - 1]!.end = i + 1;
    }
  });
  return ents;
}
