import type { ScoredToken } from './scoredDoc.js';

const MAX_EDGE_PASSES = 10;

/**
 * spaCy's `set_children_from_heads` (tokens/doc.pyx): left and right edges are
 * propagated from children to heads, again while some head lies outside the
 * sentence the edges imply (non-projective trees), and every root whose head
 * is not missing starts a sentence at its left edge. Every other token is
 * marked as not starting one.
 */
export function setSentenceStarts(tokens: ScoredToken[]): void {
  const n = tokens.length;
  const leftEdge = tokens.map((_, i) => i);
  const rightEdge = tokens.map((_, i) => i);
  for (let pass = 0; ; pass++) {
    const consistent = propagateEdges(tokens, leftEdge, rightEdge);
    if (consistent || pass > MAX_EDGE_PASSES) break;
  }
  for (const token of tokens) token.sentStart = -1;
  for (let i = 0; i < n; i++) {
    const token = tokens[i]!;
    if (token.head === i && !(token.dep === null)) tokens[leftEdge[i]!]!.sentStart = 1;
  }
}

function propagateEdges(tokens: ScoredToken[], leftEdge: number[], rightEdge: number[]): boolean {
  const n = tokens.length;
  for (let i = 0; i < n; i++) {
    const head = tokens[i]!.head;
    if (leftEdge[i]! < leftEdge[head]!) leftEdge[head] = leftEdge[i]!;
    if (rightEdge[i]! > rightEdge[head]!) rightEdge[head] = rightEdge[i]!;
  }
  for (let i = n - 1; i >= 0; i--) {
    const head = tokens[i]!.head;
    if (rightEdge[i]! > rightEdge[head]!) rightEdge[head] = rightEdge[i]!;
    if (leftEdge[i]! < leftEdge[head]!) leftEdge[head] = leftEdge[i]!;
  }
  const sentenceStarts = new Set<number>();
  for (let i = 0; i < n; i++) if (tokens[i]!.head === i) sentenceStarts.add(leftEdge[i]!);
  let currentStart = 0;
  for (let i = 0; i < n; i++) {
    if ((i > 0 && sentenceStarts.has(i)) || i === n - 1) {
      const currentEnd = i;
      for (let j = currentStart; j < currentEnd; j++) {
        const head = tokens[j]!.head;
        if (head < currentStart || head >= currentEnd + 1) return false;
      }
      currentStart = i;
    }
  }
  return true;
}
