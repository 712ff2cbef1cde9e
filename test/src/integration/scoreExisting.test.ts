import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { scoreDistributed, scoreOptionsFor, scoreSinglePass, type ScoreFlags, type ScoreReport } from '@evalshard/orchestrator';
import { surveyGold, type DocFormat } from '@evalshard/orchestrator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scratchDir } from '../helpers/corpora.js';
import { repoPath } from '../helpers/paths.js';
import { perturbConllu, perturbIob } from '../helpers/perturb.js';
import { startTestStack, type TestStack } from '../helpers/testStack.js';
import { expectSameScores } from '../helpers/sameScores.js';

const UD_DEV = repoPath('test/data/ud-english-ewt/en_ewt-ud-dev.conllu');
const UNER_DEV = repoPath('test/data/uner-english-ewt/en_ewt-ud-dev.iob2');

let stack: TestStack;
let dir: string;

beforeAll(async () => {
  stack = await startTestStack(2);
  dir = scratchDir();
});
afterAll(async () => {
  await stack?.stop();
});

async function singleProcess(gold: string, predicted: string, format: DocFormat, flags: ScoreFlags = {}): Promise<ScoreReport> {
  const options = scoreOptionsFor(flags, {}, await surveyGold(gold, format));
  return scoreSinglePass({ gold, predicted, format, options, runId: `single-${randomUUID()}` });
}

function sharded(gold: string, predicted: string, format: DocFormat, shards: number, flags: ScoreFlags = {}): Promise<ScoreReport> {
  return scoreDistributed({
    client: stack.client,
    taskQueue: stack.taskQueue,
    input: {
      runId: `score-${randomUUID()}`,
      gold,
      predicted,
      format,
      flags,
      config: {},
      shards,
      workers: 2,
      timeouts: { shardMs: 600_000, heartbeatMs: 30_000 },
      retry: { maximumAttempts: 3, initialIntervalMs: 500, maximumIntervalMs: 5_000 },
    },
  });
}

describe('evalshard score on real corpora', () => {
  it('UD English EWT dev against a perturbed copy: every token, dependency and sentence family; 16 shards equal one process', async () => {
    const predicted = join(dir, 'ud-predicted.conllu');
    writeFileSync(predicted, perturbConllu(readFileSync(UD_DEV, 'utf8'), 20261130));
    const single = await singleProcess(UD_DEV, predicted, 'conllu');
    // The parser's sentences: just before the dependency scores, as in spaCy's report of a parser pipeline.
    expect(single.run.families).toEqual(['tokenization', 'tag', 'pos', 'morph', 'morph_per_feat', 'sents', 'deps', 'lemma']);
    expect(single.run.docs).toBe(318);
    for (const key of ['token_acc', 'sents_f', 'tag_acc', 'pos_acc', 'morph_acc', 'morph_micro_f', 'dep_uas', 'dep_las', 'lemma_acc']) {
      expect(single.scores[key], key).toBeGreaterThan(0.5);
    }
    for (const key of ['sents_f', 'tag_acc', 'pos_acc', 'morph_acc', 'dep_uas', 'dep_las', 'lemma_acc']) {
      expect(single.scores[key], key).toBeLessThan(1);
    }
    const distributed = await sharded(UD_DEV, predicted, 'conllu', 16);
    expect(distributed.run.shards).toBe(16);
    expectSameScores(distributed.scores, single.scores);
  });

  it('UNER EWT dev: entity scores in spaCy and seqeval semantics; 16 shards equal one process', async () => {
    const predicted = join(dir, 'uner-predicted.iob2');
    writeFileSync(predicted, perturbIob(readFileSync(UNER_DEV, 'utf8'), 7));
    const single = await singleProcess(UNER_DEV, predicted, 'iob');
    expect(single.run.families).toEqual(['sents', 'ents', 'seqeval']);
    expect(single.scores.ents_f).toBeGreaterThan(0.5);
    expect(single.scores.ents_f).toBeLessThan(1);
    expect(single.scores.seqeval_f).toBeGreaterThan(0.5);
    expect(Object.keys(single.scores.ents_per_type as object).sort()).toEqual(['LOC', 'ORG', 'PER']);
    expect(Object.keys(single.scores.seqeval_per_type as object).sort()).toEqual(['LOC', 'ORG', 'PER']);
    const distributed = await sharded(UNER_DEV, predicted, 'iob', 16);
    expectSameScores(distributed.scores, single.scores);
  });

  it('UNER EWT dev, seqeval alone: the single pass over the files\' bytes equals 16 shards of documents, digests included', async () => {
    const predicted = join(dir, 'uner-predicted-seqeval.iob2');
    writeFileSync(predicted, perturbIob(readFileSync(UNER_DEV, 'utf8'), 11));
    const flags: ScoreFlags = { scorers: ['seqeval'] };
    const single = await singleProcess(UNER_DEV, predicted, 'iob', flags);
    expect(single.run.families).toEqual(['seqeval']);
    expect(single.run.pass).toBe('bytes');
    expect(single.scores.seqeval_f).toBeGreaterThan(0.5);
    expect(single.scores.seqeval_f).toBeLessThan(1);
    const distributed = await sharded(UNER_DEV, predicted, 'iob', 16, flags);
    expectSameScores(distributed.scores, single.scores);
    expect(single.run.docs).toBe(distributed.run.docs);
    expect([single.run.gold.digest, single.run.predicted.digest]).toEqual([distributed.run.gold.digest, distributed.run.predicted.digest]);
  });

  it('JSONL documents with every annotation: 7 shards equal one process, deps quirk and bootstrap intervals included', async () => {
    const { gold, predicted } = oracleJsonl('');
    const flags: ScoreFlags = { bootstrap: 20, seed: 5 };
    const single = await singleProcess(gold, predicted, 'jsonl', flags);
    expect(single.run.families).toContain('deps');
    expect(single.scores.dep_las_ci).toHaveLength(2);
    expect(single.run.pass).toBe('documents');
    const distributed = await sharded(gold, predicted, 'jsonl', 7, flags);
    expectSameScores(distributed.scores, single.scores);
  });

  it('JSONL documents, ten of spaCy\'s families and two span groups: the native single pass equals 7 shards of documents, digests included', async () => {
    const { gold, predicted } = oracleJsonl('native-');
    const flags: ScoreFlags = { scorers: ['tokenization', 'sents', 'tag', 'pos', 'morph', 'morph_per_feat', 'deps', 'ents', 'lemma', 'spans:sc', 'spans:10'] };
    const single = await singleProcess(gold, predicted, 'jsonl', flags);
    expect(single.run.pass).toBe('native');
    expect(single.scores.dep_las).toBeGreaterThan(0);
    const distributed = await sharded(gold, predicted, 'jsonl', 7, flags);
    expectSameScores(distributed.scores, single.scores);
    expect(single.run.docs).toBe(distributed.run.docs);
    expect([single.run.gold.digest, single.run.predicted.digest]).toEqual([distributed.run.gold.digest, distributed.run.predicted.digest]);
  });
});

// The docs oracle's documents as spaCy wrote them (category labels like "10" in their order); spaCy raised on the left-out cases.
function oracleJsonl(prefix: string): { gold: string; predicted: string } {
  const fixture = JSON.parse(readFileSync(repoPath('test/fixtures/docs-oracle.json'), 'utf8')) as {
    cases: Array<{ docs: Array<{ gold: string; pred: string }>; error?: string }>;
  };
  const pairs = fixture.cases.filter((c) => c.error === undefined).flatMap((c) => c.docs);
  const files = { gold: join(dir, `${prefix}gold.jsonl`), predicted: join(dir, `${prefix}pred.jsonl`) };
  writeFileSync(files.gold, pairs.map((pair) => pair.gold).join('\n') + '\n');
  writeFileSync(files.predicted, pairs.map((pair) => pair.pred).join('\n') + '\n');
  return files;
}
