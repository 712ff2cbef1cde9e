/**
 * The weight of a document in bootstrap replicate `replicate`: a Poisson(1)
 * draw from a uniform number that depends only on (document id, replicate,
 * seed). Whichever worker scores the document draws the same weight, so the
 * replicates do not depend on the sharding.
 */
export function poissonWeight(documentId: string, replicate: number, seed: number): number {
  const uniform = hash53(`${seed}\u0000${replicate}\u0000${documentId}`) / 2 ** 53;
  // Inversion: the smallest k whose cumulative probability reaches the draw.
  let probability = Math.exp(-1);
  let cumulative = probability;
  let k = 0;
  while (uniform > cumulative && k < 64) {
    k += 1;
    probability /= k;
    cumulative += probability;
  }
  return k;
}

// cyrb53: a fast, well-mixed 53-bit string hash.
function hash53(text: string): number {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ code, 2654435761);
    h2 = Math.imul(h2 ^ code, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507);
  h1 ^= Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507);
  h2 ^= Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & h2) + (h1 >>> 0);
}
