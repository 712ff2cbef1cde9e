import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { poissonWeight } from './poissonWeight.js';

const ORACLE = fileURLToPath(new URL('../../../test/oracle/paired_bootstrap_oracle.py', import.meta.url));
// A fresh seed every run, printed in the test name so a failure can be replayed.
const SEED = Number(process.env.EVALSHARD_WEIGHTS_SEED ?? Math.floor(Math.random() * 2 ** 31));

// charCodeAt sees UTF-16 code units: astral characters are two, and a lone surrogate is one.
const loneSurrogate = fc.integer({ min: 0xd800, max: 0xdfff }).map((code) => String.fromCharCode(code));
const piece = fc.oneof(
  fc.string({ maxLength: 6 }),
  fc.string({ unit: 'binary', maxLength: 6 }),
  fc.constantFrom('é', '标签', '😀', '𝔘', '\u0000', 'gold.jsonl@', '1e+21'),
  loneSurrogate,
);
const idArbitrary = fc.array(piece, { maxLength: 5 }).map((pieces) => pieces.join(''));

describe(`poissonWeight against test/oracle/paired_bootstrap_oracle.py --weights-only (seed ${SEED})`, () => {
  it('gives every random id the weight Python computes, in every replicate, for several bootstrap seeds', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'evalshard-weights-'));
    try {
      const ids = fc.sample(idArbitrary, { numRuns: 400, seed: SEED });
      const idsPath = join(dir, 'ids.json');
      // JSON.stringify escapes lone surrogates, which Python reads back as the same code units.
      writeFileSync(idsPath, JSON.stringify(ids));
      const seeds = fc.sample(fc.oneof(fc.integer({ min: -1000, max: 1000 }), fc.integer()), { numRuns: 3, seed: SEED ^ 1 });
      const replicates = 12;
      let aboveOne = 0;
      for (const seed of seeds) {
        const { stdout } = await promisify(execFile)(
          'python3',
          [ORACLE, '--weights-only', '--ids', idsPath, '--replicates', String(replicates), `--seed=${seed}`],
          { maxBuffer: 64 << 20 },
        );
        const expected = (JSON.parse(stdout) as { weights: number[][] }).weights;
        const actual = ids.map((id) => Array.from({ length: replicates }, (_, b) => poissonWeight(id, b, seed)));
        expect(actual, `seed ${seed}`).toEqual(expected);
        aboveOne += actual.flat().filter((weight) => weight > 1).length;
      }
      // The inversion's later steps are reached too, not only weights 0 and 1.
      expect(aboveOne).toBeGreaterThan(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
