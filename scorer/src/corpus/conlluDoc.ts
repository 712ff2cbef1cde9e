import { basename } from 'node:path';
import { InputError } from '../errors.js';
import { codePointLength, unannotatedToken, type ScoredDoc, type ScoredToken } from '../docs/scoredDoc.js';
import { setSentenceStarts } from '../docs/setSentenceStarts.js';
import { commentValue } from './blockDocuments.js';
import { lineWhere, type Line, type LineBlock } from './readLineBlocks.js';

const UPOS = new Set([
  'ADJ', 'ADP', 'ADV', 'AUX', 'CCONJ', 'DET', 'INTJ', 'NOUN', 'NUM', 'PART', 'PRON', 'PROPN', 'PUNCT', 'SCONJ',
  'SYM', 'VERB', 'X',
]);

/**
 * One document of a CoNLL-U file: its word lines (multiword-token ranges and
 * empty nodes are not tokens), FORM as text with SpaceAfter=No from MISC,
 * XPOS as tag, UPOS as pos, FEATS, LEMMA, HEAD and DEPREL; "_" is missing.
 */
export function conlluDoc(path: string, sentences: LineBlock[], options: { requireTrees: boolean } = { requireTrees: true }): ScoredDoc {
  const id = commentValue(sentences, 'newdoc id') ?? commentValue(sentences, 'sent_id') ?? `${basename(path)}@${sentences[0]!.offset}`;
  const tokens: ScoredToken[] = [];
  const sentenceStarts: number[] = [];
  let text = '';
  // Offsets in code points, counted as the text grows (counting the text each time is quadratic).
  let offset = 0;
  for (const sentence of sentences) {
    const first = tokens.length;
    sentenceStarts.push(first);
    const words = sentence.lines.filter((line) => !line.text.startsWith('#'));
    const noSpaceAfter = new Set<number>();
    const insideRange = new Set<number>();
    let expected = 1;
    const rows: Array<{ line: Line; fields: string[] }> = [];
    for (const line of words) {
      const fields = line.text.split('\t');
      const fail = (reason: string): never => {
        throw new InputError(`${lineWhere(path, line)}: document ${id}: ${reason}`, {
          file: path,
          byteOffset: line.offset,
          code: 'BAD_CONLLU',
        });
      };
      if (fields.length !== 10) fail(`expected 10 tab-separated fields, found ${fields.length}`);
      const range = /^(\d+)-(\d+)$/.exec(fields[0]!);
      if (range !== null) {
        const [from, to] = [Number(range[1]), Number(range[2])];
        if (from !== expected || to < from) fail(`multiword token ${fields[0]} does not cover the next words`);
        for (let w = from; w < to; w++) insideRange.add(w);
        if (hasNoSpaceAfter(fields[9]!)) noSpaceAfter.add(to);
        continue;
      }
      if (/^\d+\.\d+$/.test(fields[0]!)) continue; // empty node
      if (fields[0] !== String(expected)) fail(`word ID ${fields[0]} where ${expected} was expected`);
      if (!insideRange.has(expected) && hasNoSpaceAfter(fields[9]!)) noSpaceAfter.add(expected);
      rows.push({ line, fields });
      expected += 1;
    }
    rows.forEach(({ line, fields }, k) => {
      const fail = (reason: string): never => {
        throw new InputError(`${lineWhere(path, line)}: document ${id}: ${reason}`, {
          file: path,
          byteOffset: line.offset,
          code: 'BAD_CONLLU',
        });
      };
      const [, form, lemma, upos, xpos, feats, head, deprel] = fields as [string, string, string, string, string, string, string, string];
      if (form === '') fail('empty FORM');
      if (upos !== '_' && !UPOS.has(upos)) fail(`"${upos}" is not a universal POS tag`);
      let headIndex = first + k;
      if (head !== '_') {
        if (!/^\d+$/.test(head) || Number(head) > rows.length) fail(`HEAD ${head} is not a word of the sentence`);
        if (options.requireTrees && Number(head) === k + 1) fail(`HEAD ${head} is the word itself: a gold dependency tree has no cycles`);
        headIndex = Number(head) === 0 ? first + k : first + Number(head) - 1;
      }
      const wordNumber = k + 1;
      const space = !(insideRange.has(wordNumber) || noSpaceAfter.has(wordNumber));
      tokens.push({
        ...unannotatedToken(form, offset, space, first + k),
        tag: xpos === '_' ? null : xpos,
        pos: upos === '_' ? null : upos,
        morph: feats === '_' ? null : feats,
        lemma: lemma === '_' && form !== '_' ? null : lemma,
        dep: deprel === '_' ? null : deprel,
        head: headIndex,
      });
      text += form + (space ? ' ' : '');
      offset += codePointLength(form) + (space ? 1 : 0);
    });
    const cycle = options.requireTrees ? headCycle(tokens, first) : undefined;
    if (cycle !== undefined) {
      const line = rows[cycle[0]! - first]!.line;
      // spaCy would take the heads and lose the sentence's boundaries; gold dependencies form a tree.
      throw new InputError(
        `${lineWhere(path, line)}: document ${id}: HEADs form a cycle (${[...cycle, cycle[0]!].map((i) => i - first + 1).join(' → ')}), so they are not a tree (gold heads must be)`,
        { file: path, byteOffset: line.offset, code: 'BAD_CONLLU' },
      );
    }
  }
  if (tokens.some((token) => token.dep !== null)) {
    setSentenceStarts(tokens);
  } else {
    tokens.forEach((token, i) => (token.sentStart = sentenceStarts.includes(i) ? 1 : -1));
  }
  return { id, text, tokens, ents: [], spans: new Map(), cats: [], hasUnknownSpaces: false, tagSequences: null };
}

// The first cycle among the heads of tokens[first…] (a root or a missing head points to itself), as token indices.
function headCycle(tokens: readonly ScoredToken[], first: number): number[] | undefined {
  const state = new Uint8Array(tokens.length - first); // 0 new, 1 on the current path, 2 reaches a root
  for (let start = first; start < tokens.length; start++) {
    const path: number[] = [];
    let i = start;
    while (state[i - first] === 0 && tokens[i]!.head !== i) {
      state[i - first] = 1;
      path.push(i);
      i = tokens[i]!.head;
    }
    if (state[i - first] === 1) return path.slice(path.indexOf(i));
    for (const j of path) state[j - first] = 2;
    state[i - first] = 2;
  }
  return undefined;
}

function hasNoSpaceAfter(misc: string): boolean {
  return misc.split('|').includes('SpaceAfter=No');
}
