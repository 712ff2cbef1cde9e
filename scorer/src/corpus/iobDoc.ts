import { basename } from 'node:path';
import { InputError } from '../errors.js';
import { entsFromTags } from '../docs/entsFromTags.js';
import { codePointLength, unannotatedToken, type ScoredDoc, type ScoredToken } from '../docs/scoredDoc.js';
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
  // Offsets count code points, as Python's str does; counted as the text grows (counting the text each time is quadratic).
  let offset = 0;
  const tokens: ScoredToken[] = words.map((word, i) => {
    // Filled in place: spreading a fresh token per word costs more than reading the file.
    const token = unannotatedToken(word, offset, true, i);
    token.sentStart = sentenceStarts.has(i) ? 1 : -1;
    token.entIob = 2;
    offset += codePointLength(word) + 1;
    return token;
  });
  const text = words.map((word) => `${word} `).join('');
  const ents = entsFromTags(tokens, tagSequences.flat());
  return { id, text, tokens, ents, spans: new Map(), cats: [], hasUnknownSpaces: true, tagSequences };
}
