import type { RunEntry } from '@evalshard/proto';
import type { ScorerClient } from '../grpc/scorerClient.js';
import type { GateOutcome, GateSpec, RunDigests } from '../runTypes.js';
import { toActivityFailure } from './activityFailure.js';
import { runGates } from '../gates/runGates.js';

/** What the workflow records: any subset of an entry's fields, with plain digests. */
export type RunRecordUpdate = Partial<Omit<RunEntry, 'digests'>> & { runId: string; digests?: RunDigests };

// Runs that evaluated the model: a regressed run's scores are as real as a succeeded one's.
const EVALUATED = ['succeeded', 'regressed'];

export function createHistoryActivities(scorer: ScorerClient) {
  return {
    async recordRun(update: RunRecordUpdate): Promise<void> {
      try {
        await scorer.recordRun(update);
      } catch (error) {
        throw toActivityFailure(error);
      }
    },

    /** The schedule's newest evaluated run with these digests, or null. */
    async findUnchanged(query: { runId: string; schedule: string; digests: RunDigests }): Promise<string | null> {
      try {
        // The newest of each evaluated status, not the whole history of a long-lived schedule.
        const newest = await Promise.all(EVALUATED.map((status) => scorer.listRuns({ schedule: query.schedule, status, last: 1 })));
        const last = newest
          .flatMap(({ runs }) => runs)
          .filter((run) => run.runId !== query.runId)
          .sort((a, b) => (a.startedAt < b.startedAt ? 1 : a.startedAt > b.startedAt ? -1 : 0))[0];
        if (last === undefined || last.digests === undefined) return null;
        const same = (['model', 'corpus', 'scorer'] as const).every((key) => last.digests![key] === query.digests[key]);
        return same ? last.runId : null;
      } catch (error) {
        throw toActivityFailure(error);
      }
    },

    async checkGates(query: { runId: string; schedule: string; gates: GateSpec; digests: RunDigests }): Promise<GateOutcome> {
      try {
        return await runGates(scorer, query);
      } catch (error) {
        throw toActivityFailure(error);
      }
    },

    /** Posts the breach summary; a receiver that is down is reported, not a reason to fail the run. */
    async notify(message: {
      url: string;
      runId: string;
      schedule: string;
      gates: GateOutcome;
      scoresJson: string;
    }): Promise<{ delivered: boolean; error: string | null }> {
      const body = {
        event: 'evalshard.regression',
        run: message.runId,
        schedule: message.schedule || null,
        baseline: message.gates.baselineRunId,
        breaches: message.gates.breaches,
        summary: message.gates.summary,
      };
      try {
        const response = await fetch(message.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(body),
          signal: AbortSignal.timeout(20_000),
        });
        if (!response.ok) return { delivered: false, error: `${message.url} answered ${response.status} ${response.statusText}` };
        return { delivered: true, error: null };
      } catch (error) {
        return { delivered: false, error: `${message.url}: ${(error as Error).message}` };
      }
    },
  };
}
