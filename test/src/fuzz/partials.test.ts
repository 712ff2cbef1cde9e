import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { status, type ServiceError } from '@grpc/grpc-js';
import fc from 'fast-check';
import { MetricStates, PartialScore, type ScorerServiceServer, type SubmitPartialResponse } from '@evalshard/proto';
import {
  createScorerService,
  decodeMetricStates,
  encodeMetricStates,
  encodeScorerOptions,
  initMetricStates,
  pairDocs,
  PartialStore,
  readDocs,
  RunHistory,
  scorerDigest,
  updateMetricStates,
  type DocFormat,
  type ScorerOptions,
} from '@evalshard/scorer';
import { describe, expect, it } from 'vitest';
import { scratchDir } from '../helpers/corpora.js';
import { repoPath } from '../helpers/paths.js';
import { applyMutations, fuzzCases, fuzzSeed, mutations } from './mutations.js';

// The scorer's side of SubmitPartial, fed damaged partials: a message that
// does not decode is refused by gRPC; one that decodes is stored only if it
// fits the run (else INVALID_ARGUMENT naming what is wrong), and whatever was
// stored still finalizes. Never another exception.

const CASES = fuzzCases(1_000);
const dir = scratchDir('evalshard-fuzz-partials-');

const TARGETS: Array<{ name: string; options: ScorerOptions; gold: string; pred: string; format: DocFormat }> = [
  {
    name: '10 document families with bootstrap replicates',
    options: { families: ['tokenization', 'sents', 'tag', 'pos', 'morph', 'morph_per_feat', 'deps', 'ents', 'lemma', 'spans:sc'], bootstrap: { replicates: 2, seed: 0, confidence: 0.95 } },
    gold: docsFile('gold', 0),
    pred: docsFile('pred', 1),
    format: 'jsonl',
  },
  {
    name: 'seqeval',
    options: { families: ['seqeval', 'ents'], seqeval: { mode: 'default', scheme: null, zeroDivision: 0 } },
    gold: repoPath('test/data/uner-english-ewt/en_ewt-ud-dev.iob2'),
    pred: repoPath('test/data/uner-english-ewt/en_ewt-ud-dev.iob2'),
    format: 'iob',
  },
  {
    name: 'textcat',
    options: {
      families: ['cats'],
      textcat: { labels: ['1', '0', 'POS', '10'], multiLabel: true, threshold: 0.5, positiveLabel: null, macroSummation: 'compensated' },
    },
    gold: docsFile('cats-gold', 0),
    pred: docsFile('cats-pred', 1),
    format: 'jsonl',
  },
];

// The docs oracle's documents, gold (0) or predicted (1): every family, odd labels.
function docsFile(name: string, side: 0 | 1): string {
  const fixture = JSON.parse(readFileSync(repoPath('test/fixtures/docs-oracle.json'), 'utf8')) as { cases: Array<{ docs: Array<{ gold: string; pred: string }> }> };
  const lines = fixture.cases.flatMap((c) => c.docs).slice(0, 60).map((pair) => (side === 0 ? pair.gold : pair.pred));
  const path = join(dir, `${name}.jsonl`);
  writeFileSync(path, `${lines.join('\n')}\n`);
  return path;
}

async function partialBytes(target: (typeof TARGETS)[number], runId: string, digests: { model: string; corpus: string; scorer: string }): Promise<Uint8Array> {
  const states = initMetricStates(target.options);
  const range = (path: string) => ({ start: 0, end: statSync(path).size });
  for await (const example of pairDocs(readDocs(target.gold, target.format, range(target.gold)), readDocs(target.pred, target.format, range(target.pred)))) {
    updateMetricStates(states, example);
  }
  return PartialScore.encode({ runId, shardIndex: 0, digests, docs: 60, tokens: 0, bytes: 0, skippedCount: 0, skipped: [], states: encodeMetricStates(states) }).finish();
}

function call<Request, Response>(handler: ScorerServiceServer[keyof ScorerServiceServer], request: Request): Promise<{ error: ServiceError | null; response?: Response }> {
  return new Promise((resolve) =>
    (handler as (call: { request: Request; getPath(): string }, callback: (error: ServiceError | null, response?: Response) => void) => void)(
      { request, getPath: () => '/fuzz' },
      (error, response) => resolve({ error, response }),
    ),
  );
}

describe.each(TARGETS)('SubmitPartial with damaged partials: $name', (target) => {
  it(`${CASES.toLocaleString('en-US')} cases: refused with a reason, or stored and still finalized`, async () => {
    const seed = fuzzSeed();
    const store = new PartialStore(':memory:', { durable: false });
    const history = new RunHistory(':memory:');
    const service = createScorerService(store, history);
    const digests = { model: 'm', corpus: 'c', scorer: scorerDigest(target.options) };
    const valid = await partialBytes(target, 'template', digests);
    const outcomes = new Map<string, number>();
    let run = 0;
    await fc.assert(
      fc.asyncProperty(mutations(['\u0000', '\u00ff\u00ff\u00ff\u00ff\u000f', '\u0008\u0080\u0080\u0080\u0080\u0080\u0080\u0080\u0080\u0080\u0001', '\u0012\u0000']), async (edits) => {
        const runId = `fuzz-${run++}`;
        // The damage goes into the states, where a partial's substance is; the envelope stays readable.
        const intact = PartialScore.decode(valid);
        let partial: PartialScore;
        try {
          partial = { ...intact, states: MetricStates.decode(applyMutations(MetricStates.encode(intact.states!).finish(), edits)) };
        } catch (error) {
          // gRPC answers INTERNAL for a message it cannot decode; the handler never sees it.
          expect(error).toBeInstanceOf(Error);
          outcomes.set('not a message', (outcomes.get('not a message') ?? 0) + 1);
          return;
        }
        await call(service.openRun, { runId, shardCount: 2, digests, scorer: encodeScorerOptions(target.options) });
        // Whatever run id and shard the damage left, submit it to this run's shard 0, as a worker would have.
        const submitted = await call<unknown, SubmitPartialResponse>(service.submitPartial, { partial: { ...partial, runId, shardIndex: 0, digests }, stats: undefined });
        await call(service.submitPartial, { partial: { ...intact, runId, shardIndex: 1, digests }, stats: undefined });
        if (submitted.error !== null) {
          expect([status.INVALID_ARGUMENT, status.FAILED_PRECONDITION], submitted.error.details).toContain(submitted.error.code);
          outcomes.set('refused', (outcomes.get('refused') ?? 0) + 1);
          return;
        }
        // Accepted means canonical: decoding and encoding again gives the same bytes, so nothing was silently repaired or dropped.
        const again = MetricStates.encode(encodeMetricStates(decodeMetricStates(partial.states, target.options))).finish();
        expect(Buffer.from(again).equals(Buffer.from(MetricStates.encode(partial.states!).finish()))).toBe(true);
        const finalized = await call(service.finalizeRun, { runId, maxListedSkips: 0 });
        expect(finalized.error?.details ?? null).toBeNull();
        outcomes.set('stored and finalized', (outcomes.get('stored and finalized') ?? 0) + 1);
      }),
      { numRuns: CASES, seed, endOnFailure: true },
    );
    store.close();
    history.close();
    console.log(`fuzz partials (${target.name}): ${CASES} cases, seed ${seed} (EVALSHARD_FUZZ_SEED=${seed} repeats them): ${[...outcomes].map(([what, n]) => `${what} ${n}`).join(', ')}`);
  });
});
