import { InputError, propertyOf } from '@evalshard/scorer';
import { comparableOf, comparableRun } from '../compare/comparableRun.js';
import { compareRuns, type RunComparison } from '../compare/compareRuns.js';
import type { ScorerClient } from '../grpc/scorerClient.js';
import type { GateOutcome, GateSpec, RunDigests } from '../runTypes.js';
import { describeEachGate } from './describeGates.js';
import { evaluateGates } from './evaluateGates.js';
import { parseGates } from './parseGate.js';

/**
 * Checks a finished run's gates against its stored scores and, for
 * --max-drop, a baseline from the history: the run named, or the newest
 * earlier succeeded run on the same corpus and scorer (of the same schedule
 * for a scheduled run). The comparison is the paired bootstrap of `compare`.
 */
export async function runGates(
  scorer: ScorerClient,
  query: { runId: string; schedule: string; gates: GateSpec; digests: RunDigests },
): Promise<GateOutcome> {
  const parsed = parseGates(query.gates);
  const current = await comparableRun(scorer, query.runId);
  let comparison: RunComparison | null = null;
  let baselineRunId: string | null = null;
  if (parsed.maxDrop.length > 0) {
    const baseline =
      query.gates.baseline === 'last-success'
        ? await lastSuccess(scorer, query, current.entry.startedAt)
        : await comparableRun(scorer, query.gates.baseline);
    if (baseline !== undefined) {
      baselineRunId = baseline.runId;
      // A key either run lacks stays out of the comparison; evaluateGates reports it as not compared, a breach.
      const both = (key: string) => hasScalar(baseline.scores, key) && hasScalar(current.scores, key);
      comparison = compareRuns(baseline, current, { keys: [...new Set(parsed.maxDrop.map((gate) => gate.key))].filter(both) });
    }
  }
  const breaches = evaluateGates(parsed, current, comparison, query.gates.alpha === null ? {} : { alpha: query.gates.alpha });
  const summary = describeEachGate(parsed, breaches, comparison);
  return { breaches, baselineRunId, summary };
}

async function lastSuccess(
  scorer: ScorerClient,
  query: { runId: string; schedule: string; digests: RunDigests },
  startedAt: string,
) {
  const { runs } = await scorer.listRuns({ schedule: query.schedule, status: 'succeeded' });
  const entry = runs.find(
    (run) =>
      run.runId !== query.runId &&
      run.startedAt <= startedAt &&
      run.digests?.corpus === query.digests.corpus &&
      run.digests?.scorer === query.digests.scorer,
  );
  if (entry === undefined) return undefined;
  const { found, entry: full } = await scorer.getRun(entry.runId);
  if (!found || full === undefined) throw new InputError(`run ${entry.runId} left the history`, { code: 'UNKNOWN_RUN' });
  return comparableOf(full);
}

function hasScalar(scores: Record<string, unknown>, key: string): boolean {
  const value = propertyOf(scores, key);
  return value === null || typeof value === 'number';
}
