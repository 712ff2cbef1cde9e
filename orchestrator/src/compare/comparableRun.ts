import type { RunEntry } from '@evalshard/proto';
import { InputError, parseJson } from '@evalshard/scorer';
import type { ScorerClient } from '../grpc/scorerClient.js';
import type { ComparableRun } from './compareRuns.js';

/** A run from the history, with what a comparison needs; one without scores is an input error. */
export async function comparableRun(scorer: ScorerClient, runId: string): Promise<ComparableRun & { entry: RunEntry }> {
  const { found, entry } = await scorer.getRun(runId);
  if (!found || entry === undefined) {
    throw new InputError(`no run ${runId} in the history (evalshard runs lists them)`, { field: 'RUN', code: 'UNKNOWN_RUN' });
  }
  return comparableOf(entry);
}

export function comparableOf(entry: RunEntry): ComparableRun & { entry: RunEntry } {
  if (entry.scoresJson === '') {
    throw new InputError(`run ${entry.runId} has no scores (${entry.status}${entry.message ? `: ${entry.message}` : ''})`, {
      field: 'RUN',
      code: 'NO_SCORES',
    });
  }
  return {
    entry,
    runId: entry.runId,
    scores: parseJson(entry.scoresJson) as Record<string, unknown>,
    corpusDigest: entry.digests?.corpus ?? '',
    bootstrap: entry.bootstrapJson === '' ? null : (JSON.parse(entry.bootstrapJson) as { replicates: number; seed: number }),
    replicateScores: entry.replicatesJson === '' ? null : (JSON.parse(entry.replicatesJson) as Array<Record<string, number | null>>),
  };
}
