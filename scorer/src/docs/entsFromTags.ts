import type { ScoredToken, TokenSpan } from './scoredDoc.js';

/**
 * Entities from one tag per token, as spaCy's Doc(ents=…) reads them: tags
 * repaired to IOB2 (S-/U- read as B-, E-/L- as I-, an I- after O or after
 * another type begins an entity), then entities read off the B/I runs; sets
 * each token's entIob. spaCy rejects a document whose tags start with I-
 * (E093); it is read as B-, the repair spaCy applies to an I- after O.
 */
export function entsFromTags(tokens: ScoredToken[], raw: string[]): TokenSpan[] {
  const tags = raw.map(asIob);
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

// S-/U- read as B-, E-/L- as I-; other tags as they are, without a copy.
function asIob(tag: string): string {
  if (tag.charCodeAt(1) !== 0x2d) return tag;
  const first = tag.charCodeAt(0);
  if (first === 0x53 || first === 0x55) return `B${tag.slice(1)}`;
  if (first === 0x45 || first === 0x4c) return `I${tag.slice(1)}`;
  return tag;
}
