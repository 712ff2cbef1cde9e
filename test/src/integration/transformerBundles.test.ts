import { execFile } from 'node:child_process';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { loadSpec, type ResolvedSpec } from '@evalshard/orchestrator';
import { orderedEntries, parseJson, readDocs, stringifyJson } from '@evalshard/scorer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scratchDir } from '../helpers/corpora.js';
import { repoPath } from '../helpers/paths.js';
import { cli } from '../helpers/cliProcess.js';
import { expectSameScores, readJsonReport } from '../helpers/sameScores.js';
import { distributedRun, singlePass, startTestStack, testExecutionProviders, type TestStack } from '../helpers/testStack.js';

const run = promisify(execFile);

// A fresh subsample each run (CI included); the seed is in the test names.
const SEED = Number(process.env.EVALSHARD_ORACLE_SEED ?? Math.floor(Math.random() * 2 ** 31));

const BUNDLES = [
  { name: 'UPOS tagger', spec: 'examples/ud-pos.yaml', annotation: 'pos', corpus: 'test/data/ud-english-ewt/en_ewt-ud-dev.conllu' },
  { name: 'NER tagger', spec: 'examples/uner-ner.yaml', annotation: 'ents', corpus: 'test/data/uner-english-ewt/en_ewt-ud-dev.iob2' },
] as const;

// spaCy lists entity types in Python's hash order; evalshard sorts them.
const UNORDERED = (key: string) => key === 'ents_per_type';

let oneWorker: TestStack;
let twoWorkers: TestStack;
beforeAll(async () => {
  [oneWorker, twoWorkers] = await Promise.all([startTestStack(1), startTestStack(2)]);
});
afterAll(async () => {
  await Promise.all([oneWorker?.stop(), twoWorkers?.stop()]);
});

async function specOf(path: string, changes: { corpus?: string; shards?: number; workers?: number } = {}): Promise<ResolvedSpec> {
  const spec = await loadSpec(repoPath(path), { corpus: changes.corpus === undefined ? undefined : [changes.corpus], shards: changes.shards, workers: changes.workers });
  return { ...spec, runtime: { ...spec.runtime, executionProviders: testExecutionProviders() } };
}

describe.each(BUNDLES)('the $name bundle', ({ spec, annotation, corpus }) => {
  it.each([
    ['its own window', 0],
    ['windows of 24 subwords, so most documents take several', 24],
  ])(`scores a freshly seeded subsample exactly as the Python oracle does (tokenizers, onnxruntime, spaCy, seqeval; seed ${SEED}), %s`, async (_what, maxLength) => {
    const dir = scratchDir();
    const sample = join(dir, corpus.endsWith('.conllu') ? 'sample.conllu' : 'sample.iob2');
    const expectedFile = join(dir, 'expected.json');
    const resolved = await specOf(spec);
    await run(
      'python3',
      [
        repoPath('test/oracle/token_oracle.py'),
        '--bundle', resolved.model,
        '--corpus', repoPath(corpus),
        '--annotation', annotation,
        '--max-docs', String(resolved.batch.maxDocs),
        '--max-tokens', String(resolved.batch.maxTokens),
        '--sample', '60',
        '--seed', String(SEED),
        '--max-length', String(maxLength),
        '--out-corpus', sample,
        '--out', expectedFile,
      ],
      { cwd: repoPath('test/oracle'), maxBuffer: 1 << 24 },
    );
    const oracle = parseJson(readFileSync(expectedFile, 'utf8')) as { docs: number; windows: number; expected: Record<string, unknown> };
    const sampled = await specOf(spec, { corpus: sample });
    if (maxLength > 0) {
      sampled.batch.maxSequenceLength = maxLength;
      // Every word is predicted once (evalshard checks it), from one of several windows.
      expect(oracle.windows).toBeGreaterThan(2 * oracle.docs);
    }
    const report = await singlePass(sampled);
    expect(report.run.docs).toBe(oracle.docs);
    expect(report.run.batching).toBe('fixed');
    expect(orderedEntries(report.scores, UNORDERED)).toEqual(orderedEntries(oracle.expected, UNORDERED));
  });

});

describe('the spam classifier bundle', () => {
  it(`scores a freshly seeded subsample exactly as the Python oracle does (tokenizers, onnxruntime, spaCy's score_cats; seed ${SEED})`, async () => {
    const dir = scratchDir();
    const sample = join(dir, 'sample.jsonl');
    const expectedFile = join(dir, 'expected.json');
    const resolved = await specOf('examples/spam-bert.yaml');
    await run(
      'python3',
      [
        repoPath('test/oracle/textcat_run_oracle.py'),
        '--bundle', resolved.model,
        '--corpus', resolved.corpus[0]!,
        '--positive-label', 'spam',
        '--max-docs', String(resolved.batch.maxDocs),
        '--max-tokens', String(resolved.batch.maxTokens),
        '--sample', '150',
        '--seed', String(SEED),
        '--out-corpus', sample,
        '--out', expectedFile,
      ],
      { cwd: repoPath('test/oracle'), maxBuffer: 1 << 24 },
    );
    const oracle = parseJson(readFileSync(expectedFile, 'utf8')) as { docs: number; macro_summation: 'plain' | 'compensated'; expected: Record<string, unknown> };
    const sampled = await specOf('examples/spam-bert.yaml', { corpus: sample });
    // spaCy's macro averages are Python sums: compensated from 3.12 on.
    sampled.scorer.macroSummation = oracle.macro_summation;
    const report = await singlePass(sampled);
    expect(report.run.docs).toBe(oracle.docs);
    expect(orderedEntries(report.scores)).toEqual(orderedEntries(oracle.expected));
  });
});

describe.each(['examples/ud-pos.yaml', 'examples/uner-ner.yaml', 'examples/spam-bert.yaml'])('%s, on the full stack', (spec) => {
  it('gives the single-pass scores bit for bit at 1, 7 and 64 shards with 2 workers, and at 7 shards with 1', async () => {
    const reference = await singlePass(await specOf(spec));
    expect(reference.run.batching).toBe('fixed');
    for (const [stack, shards, workers] of [
      [twoWorkers, 1, 2],
      [twoWorkers, 7, 2],
      [twoWorkers, 64, 2],
      [oneWorker, 7, 1],
    ] as const) {
      const report = await distributedRun(stack, await specOf(spec, { shards, workers }));
      expect(report.run.shards).toBe(shards);
      expect(report.run.batching).toBe('fixed');
      expectSameScores(report.scores, reference.scores);
      expect([report.run.docs, report.run.tokens]).toEqual([reference.run.docs, reference.run.tokens]);
    }
  });
});

describe('--save-predictions', () => {
  it.each([
    ['examples/ud-pos.yaml', 'test/data/ud-english-ewt/en_ewt-ud-dev.conllu', 'predictions.conllu', ['--scorers', 'pos']],
    ['examples/uner-ner.yaml', 'test/data/uner-english-ewt/en_ewt-ud-dev.iob2', 'predictions.iob2', ['--scorers', 'ents,seqeval']],
    [
      'examples/spam-bert.yaml',
      'examples/spamassassin/test.jsonl',
      'predictions.jsonl',
      ['--scorers', 'cats', '--cats-labels', 'ham,spam', '--positive-label', 'spam'],
    ],
  ])('%s: evalshard score on the saved predictions gives the run’s scores', async (spec, gold, file, flags) => {
    const dir = scratchDir();
    const runJson = join(dir, 'run.json');
    const scoreJson = join(dir, 'score.json');
    const ran = await cli(['run', repoPath(spec), '--shards', '7', '--save-predictions', join(dir, 'predictions'), '--json', runJson, '--state-dir', join(dir, 'state'), '--no-progress']);
    expect(ran.code).toBe(0);
    const predictions = join(dir, 'predictions', file);
    expect(ran.stdout).toContain(`predictions written to ${predictions}`);
    expect(readdirSync(join(dir, 'predictions'))).toEqual([file]);
    const scored = await cli(['score', '--gold', repoPath(gold), '--pred', predictions, ...flags, '--json', scoreJson]);
    expect(scored.code).toBe(0);
    expectSameScores(readJsonReport(scoreJson).scores, readJsonReport(runJson).scores);
  });
});

describe('a randomly initialized BERT-style token classifier with a BPE tokenizer, built at test time', () => {
  it(`scores as the Python oracle does and equals one pass at 7 shards (seed ${SEED})`, async () => {
    const dir = scratchDir();
    const bundle = join(dir, 'bpe-bert');
    const corpus = repoPath('test/data/uner-english-ewt/en_ewt-ud-dev.iob2');
    const oracle = join(dir, 'expected.json');
    const sample = join(dir, 'sample.iob2');
    const options = { cwd: repoPath('test/oracle'), maxBuffer: 1 << 24 };
    await run('python3', [repoPath('test/oracle/make_random_bert.py'), '--text', corpus, '--seed', String(SEED), '--out', bundle], options);
    await run(
      'python3',
      [repoPath('test/oracle/token_oracle.py'), '--bundle', bundle, '--corpus', corpus, '--annotation', 'ents', '--max-docs', '32', '--max-tokens', '4096',
        '--sample', '60', '--seed', String(SEED), '--out-corpus', sample, '--out', oracle],
      options,
    );
    const expected = parseJson(readFileSync(oracle, 'utf8')) as { docs: number; windows: number; expected: Record<string, unknown> };
    const spec = async (changes: { corpus?: string; shards?: number } = {}) => ({ ...(await specOf('examples/uner-ner.yaml', changes)), model: bundle });
    const single = await singlePass(await spec({ corpus: sample }));
    expect(single.run.docs).toBe(expected.docs);
    // Its window (48 subwords) is short: most documents take several.
    expect(expected.windows).toBeGreaterThan(2 * expected.docs);
    expect(orderedEntries(single.scores, UNORDERED)).toEqual(orderedEntries(expected.expected, UNORDERED));
    const sharded = await distributedRun(twoWorkers, await spec({ corpus: sample, shards: 7 }));
    expectSameScores(sharded.scores, single.scores);
  });
});

describe('token-classification corpora in spaCy JSONL', () => {
  it('give the entity scores of the same documents in IOB', async () => {
    const dir = scratchDir();
    const iob = repoPath('test/data/uner-english-ewt/en_ewt-ud-dev.iob2');
    const jsonl = join(dir, 'dev.jsonl');
    const lines: string[] = [];
    for await (const { doc } of readDocs(iob, 'iob', { start: 0, end: statSync(iob).size })) {
      const offsets = (t: number) => [doc.tokens[t]!.idx, doc.tokens[t]!.idx + doc.tokens[t]!.length] as const;
      lines.push(
        stringifyJson({
          id: doc.id,
          text: doc.text,
          tokens: doc.tokens.map((_, t) => ({ id: t, start: offsets(t)[0], end: offsets(t)[1] })),
          ents: doc.ents.map((ent) => ({ start: offsets(ent.start)[0], end: offsets(ent.end - 1)[1], label: ent.label })),
          has_unknown_spaces: true,
        }),
      );
    }
    writeFileSync(jsonl, `${lines.join('\n')}\n`);
    const fromIob = await singlePass(await specOf('examples/uner-ner.yaml'));
    const fromJsonl = await singlePass(await specOf('examples/uner-ner.yaml', { corpus: jsonl }));
    expect(fromJsonl.run.docs).toBe(318);
    const ents = (scores: Record<string, unknown>) => Object.fromEntries(Object.entries(scores).filter(([key]) => key.startsWith('ents_')));
    expect(Object.keys(fromJsonl.scores)).toEqual(['ents_p', 'ents_r', 'ents_f', 'ents_per_type']);
    expectSameScores(fromJsonl.scores, ents(fromIob.scores));
  });
});
