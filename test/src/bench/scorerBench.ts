// npm run bench:scorer — `evalshard score`'s single pass against spaCy's
// Scorer and against seqeval on the same documents, measured side by side in
// one run (rounds interleaved, medians; each in a fresh process; JSONL also
// with the native pass turned off), then the
// scorer service's merge throughput and finalize time for 100,000 stored
// partials. Beside the first passes, the floor of reading as strings: a fresh
// process that only reads and parses the same files.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MetricStates as MetricStatesMessage } from '@evalshard/proto';
import {
  decodeMetricStates,
  documentPass,
  EncodedStatesMerge,
  encodeMetricStates,
  encodeScorerOptions,
  stringifyJson,
  finalizeMetricStates,
  finalizeRun,
  mergeMetricStates,
  OrderedMerge,
  PartialStore,
  foldCompletedBlock,
  BLOCK_SHARDS,
  scorerDigest,
  type DocFormat,
  type MetricStates,
  type ScorerOptions,
} from '@evalshard/scorer';
import { perturbIob } from '../helpers/perturb.js';
import { median } from './median.js';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const REPEAT = Number(process.env.BENCH_REPEAT ?? 4);
const PARTIALS = Number(process.env.BENCH_PARTIALS ?? 100_000);
const root = fileURLToPath(new URL('../../../', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'evalshard-scorer-bench-'));
// Gone however the run ends (a reference scorer that is not installed throws).
process.on('exit', () => rmSync(dir, { recursive: true, force: true }));

const DOC_SCORERS = ['tokenization', 'sents', 'tag', 'pos', 'morph', 'morph_per_feat', 'deps', 'ents', 'lemma', 'spans:sc'];
const DOC_FAMILIES: ScorerOptions = { families: DOC_SCORERS };

// The oracle's randomized documents, repeated: every family, differing tokenizations.
const fixture = JSON.parse(readFileSync(join(root, 'test/fixtures/docs-oracle.json'), 'utf8')) as {
  cases: Array<{ docs: Array<{ gold: string; pred: string }> }>;
};
const pairs = fixture.cases.flatMap((c) => c.docs);
const goldJsonl = join(dir, 'gold.jsonl');
const predJsonl = join(dir, 'pred.jsonl');
writeFileSync(goldJsonl, pairs.map((p) => p.gold).join('\n').concat('\n').repeat(REPEAT));
writeFileSync(predJsonl, pairs.map((p) => p.pred).join('\n').concat('\n').repeat(REPEAT));
const goldIob = join(root, 'test/data/uner-english-ewt/en_ewt-ud-dev.iob2');
const predIob = join(dir, 'pred.iob2');
writeFileSync(predIob, perturbIob(readFileSync(goldIob, 'utf8'), 7));

// `evalshard score`'s single pass in a fresh process: the first pass as a command runs it; then the third,
// once the process has compiled its code for these documents.
// `pass` is the one the run must have taken; EVALSHARD_DOCPASS=off turns the native JSONL pass off.
function evalshardScore(gold: string, pred: string, format: DocFormat, scorers: readonly string[], pass: string, env: NodeJS.ProcessEnv = process.env): { docs: number; cold: number; warm: number } {
  const output = execFileSync(process.execPath, [join(root, 'test/dist/bench/timedScore.js'), gold, pred, format, JSON.stringify({ scorers }), '3'], {
    encoding: 'utf8',
    env,
  });
  const result = JSON.parse(output.trim().split('\n').pop()!) as { docs: number; pass: string; seconds: number[] };
  if (result.pass !== pass) throw new Error(`bench:scorer: the ${format} run took the ${result.pass} pass, not the ${pass} pass${pass === 'native' ? ' (is scorer/native built? npm run build)' : ''}`);
  return { docs: result.docs, cold: result.seconds[0]!, warm: result.seconds[2]! };
}

// The runtime's floor for a first pass over the same files (readFloor.ts): reading and parsing, no scoring.
function readFloor(gold: string, pred: string, format: 'jsonl' | 'iob'): number {
  const output = execFileSync(process.execPath, [join(root, 'test/dist/bench/readFloor.js'), gold, pred, format], { encoding: 'utf8' });
  return (JSON.parse(output.trim().split('\n').pop()!) as { seconds: number }).seconds;
}

function reference(kind: 'spacy' | 'seqeval', gold: string, pred: string): { docs: number; seconds: number } {
  const output = execFileSync('python3', [join(root, 'test/oracle/bench_reference.py'), kind, gold, pred], { encoding: 'utf8' });
  return JSON.parse(output.trim().split('\n').pop()!) as { docs: number; seconds: number };
}

const samples = {
  docsCold: [] as number[],
  docsWarm: [] as number[],
  jsCold: [] as number[],
  jsWarm: [] as number[],
  spacy: [] as number[],
  iobCold: [] as number[],
  iobWarm: [] as number[],
  seqeval: [] as number[],
  docsFloor: [] as number[],
  iobFloor: [] as number[],
};
let docCount = 0;
let sentenceFileDocs = 0;
for (let round = 0; round < ROUNDS; round++) {
  const ours = evalshardScore(goldJsonl, predJsonl, 'jsonl', DOC_SCORERS, 'native');
  const theirs = reference('spacy', goldJsonl, predJsonl);
  if (theirs.docs !== ours.docs) throw new Error(`spaCy scored ${theirs.docs} documents, evalshard ${ours.docs}`);
  docCount = ours.docs;
  samples.docsCold.push(ours.cold);
  samples.docsWarm.push(ours.warm);
  const javascript = evalshardScore(goldJsonl, predJsonl, 'jsonl', DOC_SCORERS, 'documents', { ...process.env, EVALSHARD_DOCPASS: 'off' });
  samples.jsCold.push(javascript.cold);
  samples.jsWarm.push(javascript.warm);
  samples.spacy.push(theirs.seconds);
  const oursIob = evalshardScore(goldIob, predIob, 'iob', ['seqeval'], 'bytes');
  const theirsIob = reference('seqeval', goldIob, predIob);
  sentenceFileDocs = oursIob.docs;
  samples.iobCold.push(oursIob.cold);
  samples.iobWarm.push(oursIob.warm);
  samples.seqeval.push(theirsIob.seconds);
  samples.docsFloor.push(readFloor(goldJsonl, predJsonl, 'jsonl'));
  samples.iobFloor.push(readFloor(goldIob, predIob, 'iob'));
}

console.log(`bench:scorer — ${ROUNDS} interleaved rounds, medians; reading the files is part of every figure`);
console.log('  evalshard score (no --shards; its --scorers, its single pass and file digests) in a fresh process per round:');
console.log('  its first pass, what the command pays, and its third in that process');
const docsRate = (seconds: number) => (docCount / seconds).toFixed(0).padStart(8);
const spacySeconds = median(samples.spacy);
console.log(`  ${docCount} JSONL document pairs, 10 families (tokenization … spans:sc), same documents on both sides:`);
console.log(`    evalshard, first pass      ${docsRate(median(samples.docsCold))} docs/s   ratio to spaCy ${(spacySeconds / median(samples.docsCold)).toFixed(2)}`);
console.log(`    evalshard, third pass      ${docsRate(median(samples.docsWarm))} docs/s   ratio to spaCy ${(spacySeconds / median(samples.docsWarm)).toFixed(2)}`);
console.log(`    spaCy Scorer(nlp).score    ${docsRate(spacySeconds)} docs/s`);
console.log('    (evalshard scores these in its native pass, scorer/native; beside it, its JavaScript document pass, EVALSHARD_DOCPASS=off:)');
console.log(`    document pass, first pass  ${docsRate(median(samples.jsCold))} docs/s   ratio to spaCy ${(spacySeconds / median(samples.jsCold)).toFixed(2)}`);
console.log(`    document pass, third pass  ${docsRate(median(samples.jsWarm))} docs/s   ratio to spaCy ${(spacySeconds / median(samples.jsWarm)).toFixed(2)}`);
console.log(`    floor: a fresh process that only reads and JSON.parses both files ${docsRate(median(samples.docsFloor)).trimStart()} docs/s   ratio to spaCy ${(spacySeconds / median(samples.docsFloor)).toFixed(2)}`);
const ms = (seconds: number) => (seconds * 1000).toFixed(0).padStart(8);
const seqevalSeconds = median(samples.seqeval);
console.log(`  UNER EWT dev against perturbed tags (${sentenceFileDocs} documents, 2,001 sentences), seqeval default mode:`);
console.log(`    evalshard, first pass      ${ms(median(samples.iobCold))} ms      ratio to seqeval ${(seqevalSeconds / median(samples.iobCold)).toFixed(2)} (speed)`);
console.log(`    evalshard, third pass      ${ms(median(samples.iobWarm))} ms      ratio to seqeval ${(seqevalSeconds / median(samples.iobWarm)).toFixed(2)} (speed)`);
console.log(`    seqeval classification_report ${ms(seqevalSeconds).trimStart().padStart(5)} ms`);
console.log(`    reading as strings: a fresh process that only reads both files and splits their lines at tabs ${ms(median(samples.iobFloor)).trimStart()} ms   ratio to seqeval ${(seqevalSeconds / median(samples.iobFloor)).toFixed(2)}`);
console.log('    (evalshard scores seqeval alone on the files\' bytes, in WebAssembly: no line becomes a string)');

// Merge throughput and finalize time over 100,000 partials of real document states.
const distinct: Uint8Array[] = [];
for (let k = 0; k < 200; k++) {
  const shardPairs = pairs.slice((k * 3) % pairs.length, ((k * 3) % pairs.length) + 3);
  const goldDocs = join(dir, `g${k}.jsonl`);
  const predDocs = join(dir, `p${k}.jsonl`);
  writeFileSync(goldDocs, shardPairs.map((p) => p.gold).join('\n'));
  writeFileSync(predDocs, shardPairs.map((p) => p.pred).join('\n'));
  const { states } = await documentPass(goldDocs, predDocs, 'jsonl', DOC_FAMILIES);
  distinct.push(MetricStatesMessage.encode(encodeMetricStates(states)).finish());
}
// The scorer's way: straight from the encoded bytes. Beside it, decoding every partial to objects first.
// Rounds interleaved, medians: the scorer service is a long-running process.
const mergeRounds: number[] = [];
const objectRounds: number[] = [];
let mergedScores = '';
let objectScores = '';
for (let round = 0; round < ROUNDS; round++) {
  const mergeStarted = performance.now();
  const encodedMerge = new EncodedStatesMerge(DOC_FAMILIES);
  for (let i = 0; i < PARTIALS; i++) encodedMerge.push(distinct[i % distinct.length]!);
  mergedScores = stringifyJson(finalizeMetricStates(encodedMerge.result()!));
  mergeRounds.push((performance.now() - mergeStarted) / 1000);
  const objectsStarted = performance.now();
  const merger = new OrderedMerge<MetricStates>(mergeMetricStates);
  for (let i = 0; i < PARTIALS; i++) merger.push(decodeMetricStates(MetricStatesMessage.decode(distinct[i % distinct.length]!), DOC_FAMILIES));
  objectScores = stringifyJson(finalizeMetricStates(merger.result()!));
  objectRounds.push((performance.now() - objectsStarted) / 1000);
}
const mergeSeconds = median(mergeRounds);
const objectsSeconds = median(objectRounds);
if (mergedScores !== objectScores) throw new Error('bench:scorer: the encoded merge and the merge of decoded objects differ');

const store = new PartialStore(join(dir, 'bench.sqlite'), { durable: false });
const digests = { model: 'bench', corpus: 'bench', scorer: scorerDigest(DOC_FAMILIES) };
store.openRun({ runId: 'bench', shardCount: PARTIALS, digests, scorer: encodeScorerOptions(DOC_FAMILIES) });
for (let i = 0; i < PARTIALS; i++) {
  store.submit(
    {
      runId: 'bench',
      shardIndex: i,
      digests,
      docs: 3,
      tokens: 0,
      bytes: 0,
      skippedCount: 0,
      skipped: [],
      states: MetricStatesMessage.decode(distinct[i % distinct.length]!),
    },
    undefined,
  );
}
const foldStarted = performance.now();
// As the scorer service does after each stored partial: complete blocks are merged ahead of finalize.
for (let i = 0; i < PARTIALS; i++) foldCompletedBlock(store, 'bench', i);
const foldSeconds = (performance.now() - foldStarted) / 1000;
const finalizeStarted = performance.now();
const report = finalizeRun(store, 'bench', 0);
const finalizeSeconds = (performance.now() - finalizeStarted) / 1000;
store.close();
console.log(`  merging ${PARTIALS.toLocaleString('en-US')} partials (10 families each, ${ROUNDS} interleaved rounds, ${(distinct.reduce((sum, bytes) => sum + bytes.length, 0) / distinct.length).toFixed(0)} bytes on average), in shard order, to the same scores:`);
console.log(`    from the encoded bytes (the scorer)      ${(PARTIALS / mergeSeconds).toFixed(0).padStart(8)} partials/s`);
console.log(`    decoded to objects, then merged          ${(PARTIALS / objectsSeconds).toFixed(0).padStart(8)} partials/s (ratio ${(objectsSeconds / mergeSeconds).toFixed(2)})`);
console.log(
  `  finalize of ${report.shardCount.toLocaleString('en-US')} partials stored in the scorer's SQLite: ${finalizeSeconds.toFixed(2)} s ` +
    `(blocks of ${BLOCK_SHARDS} merged as they completed: ${foldSeconds.toFixed(1)} s spread over the run's submissions)`,
);
rmSync(dir, { recursive: true, force: true });
