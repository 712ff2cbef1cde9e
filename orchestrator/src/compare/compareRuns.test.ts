import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import {
  asJsonValue,
  finalizeMetricStates,
  initMetricStates,
  InputError,
  pairDocs,
  parseJson,
  readDocs,
  replicateScalarScores,
  stringifyJson,
  updateMetricStates,
  type DocFormat,
} from '@evalshard/scorer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scoreOptionsFor, type ScoreFlags } from '../score/scoreOptions.js';
import { surveyGold } from '../score/surveyGold.js';
import { compareRuns, type ComparableRun, type KeyComparison, type RunComparison } from './compareRuns.js';

const run = promisify(execFile);
const ORACLE = fileURLToPath(new URL('../../../test/oracle/paired_bootstrap_oracle.py', import.meta.url));
const DOCS_FIXTURE = fileURLToPath(new URL('../../../test/fixtures/docs-oracle.json', import.meta.url));
// A fresh seed every run, printed in the test names so a failure can be replayed.
const SEED = Number(process.env.EVALSHARD_COMPARE_SEED ?? Math.floor(Math.random() * 2 ** 31));

interface OracleKey {
  key: string;
  a: number | null;
  b: number | null;
  difference: number | null;
  interval: [number, number] | null;
  p_value: number | null;
  replicates: number;
}

interface OracleComparison {
  paired: boolean;
  confidence: number;
  keys: OracleKey[];
}

async function oracle(args: string[]): Promise<unknown> {
  const { stdout } = await run('python3', [ORACLE, ...args], { maxBuffer: 256 << 20 });
  return JSON.parse(stdout) as unknown;
}

const asOracle = (keys: KeyComparison[]): OracleKey[] =>
  keys.map((k) => ({ key: k.key, a: k.a, b: k.b, difference: k.difference, interval: k.interval, p_value: k.pValue, replicates: k.replicates }));

function expectSameComparison(actual: RunComparison, expected: OracleComparison, label: string): void {
  expect(actual.paired, `${label}: paired`).toBe(expected.paired);
  expect(actual.confidence, `${label}: confidence`).toBe(expected.confidence);
  // toEqual compares numbers with Object.is: every value bit for bit, the sign of zero included.
  expect(asOracle(actual.keys), label).toEqual(expected.keys);
}

/** mulberry32: a small seeded generator, so a case can be rebuilt from its seed. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Rng = () => number;
const pick = <T>(rng: Rng, items: readonly T[]): T => items[Math.floor(rng() * items.length)]!;
const shuffled = <T>(rng: Rng, items: readonly T[]): T[] => {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
};

// Keys that look like array indices ("0", "10") change a JavaScript object's order.
const KEY_POOL = ['cats_score', 'ents_f', 'tag_acc', '0', '10', '2', 'ünï_f', 'spans_sc_p', 'token_acc', 'dep_las'];
const GRID = [0, 0.25, 0.5, 0.5, 0.75, 1, 1 / 3, 0.1, 0.2, 0.3];

function randomScore(rng: Rng): number | null {
  const r = rng();
  if (r < 0.1) return null;
  if (r < 0.55) return pick(rng, GRID);
  return rng();
}

function nearby(rng: Rng, value: number | null): number | null {
  const r = rng();
  if (value === null || r < 0.1) return randomScore(rng);
  if (r < 0.45) return value; // a tie: d_b = 0
  return value + (rng() - 0.5) * pick(rng, [1e-12, 1e-3, 0.1]);
}

/** The flat record as a stored report would read back: keys in the written order. */
function scoresRecord(rng: Rng, keys: string[], value: (key: string) => number | null): Record<string, unknown> {
  const entries: Array<[string, unknown]> = [];
  for (const key of keys) {
    entries.push([key, value(key)]);
    if (rng() < 0.5) entries.push([`${key}_ci`, rng() < 0.3 ? null : [0, 1]]);
    if (rng() < 0.1) entries.push([`${key}_per_type`, { A: { p: 1 } }]);
  }
  if (rng() < 0.3) entries.push(['cats_score_desc', 'macro F']);
  const text = `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${JSON.stringify(item)}`).join(',')}}`;
  return parseJson(text) as Record<string, unknown>;
}

interface RandomCase {
  a: ComparableRun;
  b: ComparableRun;
  keys?: string[];
  confidence: number;
}

function randomCase(rng: Rng, index: number): RandomCase {
  const replicates = pick(rng, [1, 2, 3, 10, 50, 200]);
  const keysA = shuffled(rng, KEY_POOL).slice(0, 1 + Math.floor(rng() * KEY_POOL.length));
  const keysB = shuffled(rng, [...keysA.filter(() => rng() < 0.85), ...KEY_POOL.filter(() => rng() < 0.2)]);
  const uniqueB = [...new Set(keysB)];
  const mainA = new Map(keysA.map((key) => [key, randomScore(rng)]));
  const a: ComparableRun = {
    runId: `a${index}`,
    scores: scoresRecord(rng, keysA, (key) => mainA.get(key)!),
    corpusDigest: 'corpus-1',
    bootstrap: { replicates, seed: 7 },
    replicateScores: Array.from({ length: replicates }, () =>
      Object.fromEntries(keysA.filter(() => rng() > 0.05).map((key) => [key, randomScore(rng)])),
    ),
  };
  const identical = rng() < 0.15;
  const b: ComparableRun = identical
    ? { ...structuredClone(a), runId: `b${index}` }
    : {
        runId: `b${index}`,
        scores: scoresRecord(rng, uniqueB, (key) => nearby(rng, mainA.get(key) ?? null)),
        corpusDigest: 'corpus-1',
        bootstrap: { replicates, seed: 7 },
        replicateScores: a.replicateScores!.map((record) =>
          Object.fromEntries(uniqueB.filter(() => rng() > 0.05).map((key) => [key, nearby(rng, record[key] ?? null)])),
        ),
      };
  // Now and then a pair that must not be paired.
  const unpairing = rng();
  if (unpairing < 0.04) b.corpusDigest = 'corpus-2';
  else if (unpairing < 0.08) b.bootstrap = { replicates, seed: 8 };
  else if (unpairing < 0.12) {
    b.bootstrap = { replicates: replicates + 1, seed: 7 };
    b.replicateScores = [...b.replicateScores!, {}];
  } else if (unpairing < 0.15) a.replicateScores = null;
  else if (unpairing < 0.18) b.bootstrap = null;
  else if (unpairing < 0.2) b.replicateScores = b.replicateScores!.slice(1);
  const available = compareRuns(a, b).keys.map((key) => key.key);
  const keys = rng() < 0.3 ? shuffled(rng, available).slice(0, Math.floor(rng() * (available.length + 1))) : undefined;
  const confidence = pick(rng, [0.95, 0.9, 0.5, 0.99, 0.8, rng() * 0.98 + 0.01]);
  return { a, b, keys, confidence };
}

describe(`compareRuns against numpy (test/oracle/paired_bootstrap_oracle.py, seed ${SEED})`, () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'evalshard-compare-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('gives every key, difference, interval and p-value of random replicate records exactly', async () => {
    const rng = random(SEED);
    const cases = Array.from({ length: 60 }, (_, i) => randomCase(rng, i));
    const path = join(dir, 'cases.json');
    // stringifyJson writes the records in the order compareRuns sees them.
    writeFileSync(path, stringifyJson(cases));
    const expected = (await oracle(['--from-replicates', path])) as OracleComparison[];
    cases.forEach((c, i) => {
      const actual = compareRuns(c.a, c.b, { keys: c.keys, confidence: c.confidence });
      expectSameComparison(actual, expected[i]!, `case ${i}`);
      if (!actual.paired) expect(actual.reason, `case ${i}: reason`).toMatch(/corpora|no bootstrap replicates|replicate|seeds/);
    });
    // The generator must reach the cases that matter.
    const all = cases.map((c, i) => ({ c, result: compareRuns(c.a, c.b, { keys: c.keys, confidence: c.confidence }), i }));
    expect(all.some(({ result }) => result.paired)).toBe(true);
    expect(all.some(({ result }) => result.keys.some((key) => key.pValue === 1 && key.replicates > 0))).toBe(true);
    expect(all.some(({ result }) => result.keys.some((key) => key.pValue !== null && key.pValue < 1))).toBe(true);
  });

  it('names an unknown key and the keys it could have been', () => {
    const rng = random(SEED ^ 0x5bd1e995);
    const c = randomCase(rng, 0);
    const available = compareRuns(c.a, c.b).keys.map((key) => key.key);
    const unknown = `no_such_key_${Math.floor(rng() * 1000)}`;
    let error: unknown;
    try {
      compareRuns(c.a, c.b, { keys: [...available.slice(0, 1), unknown] });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).field).toBe('keys');
    expect((error as Error).message).toContain(`"${unknown}"`);
    for (const key of available) expect((error as Error).message).toContain(key);
  });

  it('says why two runs do not pair', () => {
    const rng = random(SEED ^ 0x27d4eb2f);
    const a: ComparableRun = {
      runId: 'a',
      scores: { ents_f: randomScore(rng) },
      corpusDigest: 'corpus',
      bootstrap: { replicates: 3, seed: 1 },
      replicateScores: Array.from({ length: 3 }, () => ({ ents_f: randomScore(rng) })),
    };
    const twin: ComparableRun = { ...structuredClone(a), runId: 'twin' };
    expect(compareRuns(a, twin).reason).toBeNull();
    expect(compareRuns(a, { ...twin, corpusDigest: 'other' }).reason).toContain('different corpora');
    expect(compareRuns(a, { ...twin, replicateScores: null }).reason).toContain('run twin has no bootstrap replicates');
    expect(compareRuns(a, { ...twin, bootstrap: { ...a.bootstrap!, seed: a.bootstrap!.seed + 1 } }).reason).toContain('seeds');
    expect(() => compareRuns(a, twin, { confidence: 1 })).toThrow(InputError);
  });
});

// --- End to end: evalshard's own replicates against spaCy on the weighted corpora.

const LABELS = ['spam', 'ham', '0', '10', 'Ünï', '标签'];
const ID_CHARS = ['a', 'Z', '7', 'é', 'ß', '标', '😀', '𝔘', ' ', '@', '-'];

function randomId(rng: Rng, index: number): unknown {
  const r = rng();
  if (r < 0.35) return undefined; // the reader names it by file and byte offset
  // A number: String() writes it (exponents from 1e21 on).
  if (r < 0.45) return pick(rng, [index, index + 0.5, (index + 1) * 1e20, (index + 1) * 1e-7]);
  return `${Array.from({ length: 1 + Math.floor(rng() * 6) }, () => pick(rng, ID_CHARS)).join('')}#${index}`;
}

function textcatCorpus(rng: Rng, dir: string): { gold: string; predA: string; predB: string } {
  const labels = shuffled(rng, LABELS).slice(0, 2 + Math.floor(rng() * 3));
  const lines: Record<'gold' | 'predA' | 'predB', string[]> = { gold: [], predA: [], predB: [] };
  const docs = 40 + Math.floor(rng() * 40);
  for (let i = 0; i < docs; i++) {
    const id = randomId(rng, i);
    const text = `document ${i} ${pick(rng, ID_CHARS)}`;
    const winner = pick(rng, labels);
    const cats = (score: (label: string) => number) => Object.fromEntries(labels.map((label) => [label, score(label)]));
    // Labels like "0" must keep the written order: build the JSON text by hand.
    const record = (values: Record<string, number>) =>
      `{${id === undefined ? '' : `"id":${JSON.stringify(id)},`}"text":${JSON.stringify(text)},"cats":{${labels
        .map((label) => `${JSON.stringify(label)}:${values[label]}`)
        .join(',')}}}`;
    lines.gold.push(record(cats((label) => (label === winner ? 1 : 0))));
    const guess = (good: number) => cats((label) => (rng() < 0.3 ? pick(rng, [0, 0.5, 1]) : label === winner ? good * rng() + (1 - good) * 0.5 : rng() * 0.6));
    lines.predA.push(record(guess(0.6)));
    lines.predB.push(record(guess(0.9)));
  }
  const write = (name: keyof typeof lines) => {
    const path = join(dir, `${name}.jsonl`);
    // Blank lines and CRLF endings move the byte offsets that name documents without an id.
    const eol = rng() < 0.5 ? '\n' : '\r\n';
    writeFileSync(path, lines[name].map((line) => (rng() < 0.1 ? `${eol}${line}` : line)).join(eol) + eol);
    return path;
  };
  return { gold: write('gold'), predA: write('predA'), predB: write('predB') };
}

/** One `evalshard score --bootstrap` run in this process, with the replicate records a run stores. */
async function scoredRun(runId: string, gold: string, predicted: string, format: DocFormat, flags: ScoreFlags): Promise<ComparableRun> {
  const options = scoreOptionsFor(flags, {}, await surveyGold(gold, format));
  const states = initMetricStates(options);
  const docs = (path: string) => readDocs(path, format, { start: 0, end: statSync(path).size });
  for await (const example of pairDocs(docs(gold), docs(predicted))) updateMetricStates(states, example);
  const finalize = { onlyAnnotated: options.onlyAnnotated };
  const scores = asJsonValue(finalizeMetricStates(states, finalize));
  return {
    runId,
    scores,
    corpusDigest: 'gold',
    bootstrap: { replicates: flags.bootstrap!, seed: flags.seed! },
    // Through JSON, as the history stores them (NaN becomes null).
    replicateScores: asJsonValue(replicateScalarScores(states, finalize)),
  };
}

// Python's sum() of floats, which the macro averages use: compensated from 3.12 on.
async function pythonSummation(): Promise<'compensated' | 'plain'> {
  const { stdout } = await run('python3', ['-c', 'import sys; print(int(sys.version_info >= (3, 12)))']);
  return stdout.trim() === '1' ? 'compensated' : 'plain';
}

async function endToEnd(gold: string, predA: string, predB: string, replicates: number, seed: number, confidence: number): Promise<void> {
  const flags: ScoreFlags = { bootstrap: replicates, seed, macroSummation: await pythonSummation() };
  const a = await scoredRun('a', gold, predA, 'jsonl', flags);
  const b = await scoredRun('b', gold, predB, 'jsonl', flags);
  const actual = compareRuns(a, b, { confidence });
  expect(actual.paired).toBe(true);
  expect(actual.keys.some((key) => key.replicates === replicates)).toBe(true);
  const expected = (await oracle([
    '--gold', gold, '--pred-a', predA, '--pred-b', predB,
    '--replicates', String(replicates), '--seed', String(seed), '--confidence', String(confidence),
    '--keys', actual.keys.map((key) => key.key).join(','),
  ])) as OracleComparison;
  expectSameComparison(actual, expected, 'end to end');
}

describe(`a paired comparison of evalshard runs against spaCy on every weighted replicate (seed ${SEED})`, () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'evalshard-compare-e2e-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('text-classification records, ids of every kind', async () => {
    const rng = random(SEED ^ 0x3c6ef372);
    const { gold, predA, predB } = textcatCorpus(rng, dir);
    await endToEnd(gold, predA, predB, 25, Math.floor(rng() * 2000) - 1000, pick(rng, [0.95, 0.9]));
  });

  it('spaCy documents with every annotation (the docs oracle fixture)', async () => {
    const rng = random(SEED ^ 0x1b873593);
    const fixture = JSON.parse(readFileSync(DOCS_FIXTURE, 'utf8')) as {
      cases: Array<{ docs: Array<{ gold: string; pred: string }>; error?: string }>;
    };
    // spaCy raised on the left-out cases; a random run of documents from the rest. Documents of different
    // cases meet in one run here, whose labels are the gold's: a gold with categories and a prediction with
    // none of its labels is left out too (valid where its case scored categories as multi-label, or not at
    // all, spaCy raises on it where the run reads as single-label; seed 1568506598 chose one).
    const cats = (line: string) => Object.keys((JSON.parse(line) as { cats?: object }).cats ?? {});
    const pairs = fixture.cases
      .filter((c) => c.error === undefined)
      .flatMap((c) => c.docs)
      .filter((pair) => {
        const goldLabels = cats(pair.gold);
        return goldLabels.length === 0 || cats(pair.pred).some((label) => goldLabels.includes(label));
      });
    const start = Math.floor(rng() * (pairs.length - 60));
    const chosen = pairs.slice(start, start + 60);
    const write = (name: string, lines: string[]) => {
      const path = join(dir, name);
      writeFileSync(path, lines.join('\n') + '\n');
      return path;
    };
    const gold = write('docs-gold.jsonl', chosen.map((pair) => pair.gold));
    const predA = write('docs-pred-a.jsonl', chosen.map((pair) => pair.pred));
    // Run b predicts some documents perfectly.
    const predB = write('docs-pred-b.jsonl', chosen.map((pair) => (rng() < 0.15 ? pair.gold : pair.pred)));
    await endToEnd(gold, predA, predB, 15, Math.floor(rng() * 1000), 0.95);
  });
});
