import { basename } from 'node:path';
import { InputError } from '../errors.js';
import { entsFromTags } from '../docs/entsFromTags.js';
import { unannotatedToken, type ScoredDoc, type ScoredToken } from '../docs/scoredDoc.js';
import { commentValue } from './blockDocuments.js';
import { lineWhere, type LineBlock } from './readLineBlocks.js';

/**
 * One document of a column file with entity tags: `index<TAB>token<TAB>tag…`
 * (Universal NER) or `token … tag` (CoNLL 2003, tag last). Tags stay as
 * written for seqeval; entities for spaCy's scores follow spaCy's Doc(ents=…):
 * BILOU/IOBES tags read as IOB (S/U→B, E/L→I), then an I- after O or after a
 * different type begins an entity. The spaces between tokens are not known.
 */
export function iobDoc(path: string, sentences: LineBlock[]): ScoredDoc {
  const id = commentValue(sentences, 'newdoc id') ?? commentValue(sentences, 'sent_id') ?? `${basename(path)}@${sentences[0]!.offset}`;
  const tokens: ScoredToken[] = [];
  const tagSequences: string[][] = [];
  const allTags: string[] = [];
  let text = '';
  // Offsets count code points, as Python's str does; counted as the text grows (counting the text each time is quadratic).
  let offset = 0;
  for (const sentence of sentences) {
    const tags: string[] = [];
    const first = tokens.length;
    for (const line of sentence.lines) {
      if (line.text.charCodeAt(0) === 0x23) continue;
      const [word, tag] = wordAndTag(line.text);
      if (word === '' || !isTag(tag)) {
        throw new InputError(
          `${lineWhere(path, line)}: document ${id}: expected a token and an IOB tag (O, B-TYPE, I-TYPE, …), found "${line.text}"`,
          { file: path, byteOffset: line.offset, code: 'BAD_IOB' },
        );
      }
      // Filled in place: spreading a fresh token per word costs more than reading the file.
      const token = unannotatedToken(word, offset, true, tokens.length);
      token.sentStart = tokens.length === first ? 1 : -1;
      token.entIob = 2;
      offset += token.length + 1;
      text += `${word} `;
      tokens.push(token);
      tags.push(tag);
      allTags.push(tag);
    }
    tagSequences.push(tags);
  }
  const ents = entsFromTags(tokens, allTags);
  return { id, text, tokens, ents, spans: new Map(), cats: [], hasUnknownSpaces: true, tagSequences };
}

/**
 * The token and the tag of a line: `index<TAB>token<TAB>tag…` when the first
 * of three or more fields is a number, else the first field and the last
 * (fields split at tabs, or at runs of whitespace where there is no tab).
 * An empty word marks a line with fewer than two fields.
 */
function wordAndTag(line: string): [string, string] {
  const tab = line.indexOf('\t');
  if (tab < 0) {
    const fields = line.trim().split(/\s+/);
    if (fields.length < 2) return ['', ''];
    return fields.length >= 3 && isDigits(fields[0]!, fields[0]!.length) ? [fields[1]!, fields[2]!] : [fields[0]!, fields[fields.length - 1]!];
  }
  const second = line.indexOf('\t', tab + 1);
  if (second >= 0 && isDigits(line, tab)) {
    const third = line.indexOf('\t', second + 1);
    return [line.slice(tab + 1, second), line.slice(second + 1, third < 0 ? line.length : third)];
  }
  return [line.slice(0, tab), line.slice(line.lastIndexOf('\t') + 1)];
}

function isDigits(text: string, end: number): boolean {
  if (end === 0) return false;
  for (let i = 0; i < end; i++) {
    const code = text.charCodeAt(i);
    if (code < 48 || code > 57) return false;
  }
  return true;
}

// /^(O|[BIESLU]-.+)$/ without a regular expression per token: "." stops at line terminators.
export function isTag(tag: string): boolean {
  if (tag === 'O') return true;
  if (tag.length < 3 || tag.charCodeAt(1) !== 0x2d || !'BIESLU'.includes(tag[0]!)) return false;
  for (let i = 2; i < tag.length; i++) {
    const code = tag.charCodeAt(i);
    if (code === 0x0a || code === 0x0d || code === 0x2028 || code === 0x2029) return false;
  }
  return true;
}
