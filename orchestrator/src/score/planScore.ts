import { stat } from 'node:fs/promises';
import { fileSha256 } from '@evalshard/gpu-worker';
import { createFamilies, InputError, readDocs, scorerDigest } from '@evalshard/scorer';
import type { DocumentRange, ScoreInput, ScorePlan } from '../runTypes.js';
import { scoreOptionsFor } from './scoreOptions.js';
import { surveyGold } from './surveyGold.js';

interface DocStart {
  offset: number;
  line: number;
}

/**
 * Reads the gold once for what it annotates (span groups, category labels)
 * and where its documents start, cuts it into shards of about equal bytes at
 * document starts, and reads the predictions once to find where the same
 * documents start there. O(corpus), the price of pairing two files by
 * position across shards; a count mismatch fails here, before any shard runs.
 */
export async function planScore(input: ScoreInput): Promise<ScorePlan> {
  const started = performance.now();
  const goldBytes = await sizeOf(input.gold, '--gold');
  const predictedBytes = await sizeOf(input.predicted, '--pred');
  const goldStarts: DocStart[] = [];
  let lastGoldId = '';
  const survey = await surveyGold(input.gold, input.format, ({ doc, origin }) => {
    goldStarts.push({ offset: origin.byteOffset, line: origin.line ?? 1 });
    lastGoldId = doc.id;
  });
  const options = scoreOptionsFor(input.flags, input.config, survey);
  const firstDocs = shardFirstDocs(goldStarts, goldBytes, input.shards);

  const predictedStarts = new Map<number, DocStart>();
  const wanted = new Set(firstDocs);
  let predictedDocs = 0;
  for await (const { doc, origin } of readDocs(input.predicted, input.format, { start: 0, end: predictedBytes, role: 'predicted' })) {
    if (predictedDocs >= goldStarts.length) {
      throw new InputError(
        `${input.predicted}: byte ${origin.byteOffset}: predicted document ${doc.id} has no gold document ` +
          `(the gold has ${goldStarts.length} documents)`,
        { file: input.predicted, byteOffset: origin.byteOffset, code: 'COUNT_MISMATCH' },
      );
    }
    if (wanted.has(predictedDocs)) predictedStarts.set(predictedDocs, { offset: origin.byteOffset, line: origin.line ?? 1 });
    predictedDocs += 1;
  }
  if (predictedDocs < goldStarts.length) {
    throw new InputError(
      `${input.predicted}: the predictions end after ${predictedDocs} documents; the gold has ${goldStarts.length} ` +
        `(the last is ${lastGoldId})`,
      { file: input.predicted, code: 'COUNT_MISMATCH' },
    );
  }

  const range = (path: string, starts: (doc: number) => DocStart | undefined, bytes: number, k: number): DocumentRange => {
    const start = starts(firstDocs[k]!) ?? { offset: 0, line: 1 };
    const next = k + 1 < firstDocs.length ? starts(firstDocs[k + 1]!)!.offset : bytes;
    return { path, start: start.offset, end: next, startLine: start.line };
  };
  const ranges = firstDocs.map((_, k) => ({
    gold: range(input.gold, (doc) => goldStarts[doc], goldBytes, k),
    predicted: range(input.predicted, (doc) => predictedStarts.get(doc), predictedBytes, k),
  }));
  const goldDigest = await fileSha256(input.gold);
  const predictedDigest = await fileSha256(input.predicted);
  return {
    runId: input.runId,
    options,
    families: createFamilies(options).map((family) => family.name),
    ranges,
    docs: goldStarts.length,
    digests: { model: predictedDigest, corpus: goldDigest, scorer: scorerDigest(options) },
    gold: { path: input.gold, bytes: goldBytes, digest: goldDigest },
    predicted: { path: input.predicted, bytes: predictedBytes, digest: predictedDigest },
    planMs: Math.round(performance.now() - started),
  };
}

// The first document of each shard: where the gold's bytes cross k/N of the file.
function shardFirstDocs(starts: DocStart[], bytes: number, shards: number): number[] {
  if (starts.length === 0) return [0];
  const firsts = [0];
  let doc = 0;
  for (let k = 1; k < shards; k++) {
    const target = (bytes / shards) * k;
    while (doc < starts.length && starts[doc]!.offset < target) doc++;
    if (doc < starts.length && doc > firsts[firsts.length - 1]!) firsts.push(doc);
  }
  return firsts;
}

async function sizeOf(path: string, flag: string): Promise<number> {
  try {
    return (await stat(path)).size;
  } catch {
    throw new InputError(`${flag}: ${path}: no such file`, { file: path, field: flag, code: 'BAD_INPUT' });
  }
}
