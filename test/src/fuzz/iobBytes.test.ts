import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { documentPass, finalizeMetricStates, iobSeqevalPass, stringifyJson, type MetricStates, type ScorerOptions } from '@evalshard/scorer';
import { describe, expect, it } from 'vitest';
import { scratchDir } from '../helpers/corpora.js';
import { repoPath } from '../helpers/paths.js';
import { perturbIob } from '../helpers/perturb.js';
import { applyMutations, fuzzCases, fuzzSeed, mutations } from './mutations.js';

// seqeval's pass over the bytes of IOB files (iobScan.wat) must give what the
// document path gives, or give null and leave the files to it: damaged
// copies of real gold, against an intact or differently damaged prediction,
// or the same damaged file on both sides.

const CASES = fuzzCases(5_000);
const SEQEVAL: ScorerOptions = { families: ['seqeval'] };
const SNIPPETS = ['B-', 'I-X', 'O', '\t', 'S-PER', 'E-LOC', 'U-', 'B-10', 'I-Ü', '# newdoc id = y\n', '# sent_id = z\n', '\n\n', '\n', '1\t', 'x\tB-ORG\tO', '\r', '\ufeff', ' '];
const dir = scratchDir('evalshard-fuzz-iob-bytes-');

const blocks = readFileSync(repoPath('test/data/uner-english-ewt/en_ewt-ud-dev.iob2'), 'utf8').slice(0, 60_000).split(/\n\n/).slice(0, -1);
const seeds = Array.from({ length: 100 }, (_, i) => `${blocks.slice((i * 7) % blocks.length, ((i * 7) % blocks.length) + 1 + (i % 4)).join('\n\n')}\n\n`);

async function documentOutcome(gold: string, predicted: string): Promise<string> {
  try {
    const { states, docs } = await documentPass(gold, predicted, 'iob', SEQEVAL);
    return outcome(states, docs);
  } catch (error) {
    return `error: ${(error as Error).message}`;
  }
}

const outcome = (states: MetricStates, docs: number) => `${docs} ${states.slots[0]!.annotatedDocs} ${stringifyJson(finalizeMetricStates(states))}`;

describe('the IOB byte pass, fuzzed', () => {
  it(`gives the document path's scores on ${CASES.toLocaleString('en-US')} damaged inputs, or leaves them to it`, async () => {
    const seed = fuzzSeed();
    const gold = join(dir, 'gold.iob2');
    const predicted = join(dir, 'pred.iob2');
    const outcomes = { bytes: 0, left: 0 };
    await fc.assert(
      fc.asyncProperty(
        fc.nat(seeds.length - 1),
        mutations(SNIPPETS),
        mutations(SNIPPETS),
        fc.constantFrom('same file', 'intact prediction', 'both damaged'),
        fc.nat(),
        async (which, goldEdits, predictedEdits, sides, tagSeed) => {
          const original = Buffer.from(seeds[which]!);
          const damaged = applyMutations(original, goldEdits);
          const prediction = Buffer.from(perturbIob(original.toString('utf8'), tagSeed));
          writeFileSync(gold, damaged);
          writeFileSync(predicted, sides === 'same file' ? damaged : sides === 'intact prediction' ? prediction : applyMutations(prediction, predictedEdits));
          const bytes = await iobSeqevalPass(gold, predicted, SEQEVAL);
          if (bytes === null) {
            outcomes.left++;
            return;
          }
          outcomes.bytes++;
          expect(outcome(bytes.states, bytes.docs)).toBe(await documentOutcome(gold, predicted));
        },
      ),
      { numRuns: CASES, seed, endOnFailure: true },
    );
    console.log(`fuzz IOB byte pass: ${CASES} cases, seed ${seed} (EVALSHARD_FUZZ_SEED=${seed} repeats them): scored on their bytes ${outcomes.bytes}, left to the document path ${outcomes.left}`);
    // Damage that leaves the files alike but for their tags (a changed tag, a removed sentence on both sides) is scored.
    expect(outcomes.bytes).toBeGreaterThan(CASES / 20);
    // About 8 ms a case here (two files written, the byte pass, the document path for one in six): npm run fuzz's
    // 200,000 need more than the project's 15 minutes.
  }, Math.max(900_000, CASES * 20));
});
