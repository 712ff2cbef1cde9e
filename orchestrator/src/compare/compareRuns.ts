import { entriesOf, InputError, percentileInterval, propertyOf } from '@evalshard/scorer';

/** What a stored run needs for a comparison. */
export interface ComparableRun {
  runId: string;
  /** The flat report record; only number|null values are compared. */
  scores: Record<string, unknown>;
  corpusDigest: string;
  bootstrap: { replicates: number; seed: number } | null;
  /** Per replicate, in order: the scalar scores of that replicate. */
  replicateScores: Array<Record<string, number | null>> | null;
}

export interface KeyComparison {
  key: string;
  a: number | null;
  b: number | null;
  /** b − a. */
  difference: number | null;
  /** Percentile interval of the paired replicate differences (numpy linear, as `<key>_ci`). */
  interval: [number, number] | null;
  /** Two-sided paired bootstrap p-value (see compareRuns). */
  pValue: number | null;
  /** Replicates where both values are non-null: the ones used. */
  replicates: number;
}

export interface RunComparison {
  a: string;
  b: string;
  /** False when the replicates do not pair up (then no interval and no p-value). */
  paired: boolean;
  /** Why not paired, in words. */
  reason: string | null;
  confidence: number;
  keys: KeyComparison[];
}

export interface CompareOptions {
  /** The keys to compare, in this order (default: a's scalar keys that b has too). */
  keys?: string[];
  confidence?: number;
}

const DEFAULT_CONFIDENCE = 0.95;

/**
 * Compares run b with run a, key by key. A document's bootstrap weight
 * depends only on (document id, replicate, seed), so two runs over the same
 * corpus with the same seed and replicate count resampled the same documents
 * the same number of times in replicate b: d_b = B_b − A_b (both values
 * present) is one draw of the difference under resampling, the paired
 * bootstrap. Over the n replicates that have both values:
 *
 *   interval = numpy-linear percentiles (1 − confidence)/2 and 1 − (1 − confidence)/2 of d_b
 *   p-value  = min(1, 2 · min(#{d_b ≤ 0}, #{d_b ≥ 0}) / n), null when n = 0
 *
 * The p-value is two-sided: twice the share of replicates on the side of
 * zero the observed sign does not favour, counting ties with both sides, so
 * identical runs (every d_b = 0) get p = 1 rather than a spurious 0.
 * test/oracle/paired_bootstrap_oracle.py computes the same independently.
 */
export function compareRuns(a: ComparableRun, b: ComparableRun, options: CompareOptions = {}): RunComparison {
  const confidence = options.confidence ?? DEFAULT_CONFIDENCE;
  if (!(confidence > 0 && confidence < 1)) {
    throw new InputError(`confidence must lie strictly between 0 and 1, got ${confidence}`, {
      field: 'confidence',
      code: 'BAD_OPTION',
    });
  }
  const keys = keysToCompare(a, b, options.keys);
  const reason = unpairedReason(a, b);
  const paired = reason === null;
  return {
    a: a.runId,
    b: b.runId,
    paired,
    reason,
    confidence,
    keys: keys.map((key) => compareKey(key, a, b, paired, confidence)),
  };
}

function keysToCompare(a: ComparableRun, b: ComparableRun, requested: string[] | undefined): string[] {
  const inB = new Set(scalarKeys(b.scores));
  const available = scalarKeys(a.scores).filter((key) => inB.has(key));
  if (requested === undefined) return available;
  const known = new Set(available);
  const unknown = requested.filter((key) => !known.has(key));
  if (unknown.length > 0) {
    throw new InputError(
      `unknown score key${unknown.length > 1 ? 's' : ''} ${unknown.map((key) => `"${key}"`).join(', ')}; ` +
        `the scalar keys both runs have: ${available.join(', ') || '(none)'}`,
      { field: 'keys', code: 'BAD_KEY' },
    );
  }
  return [...new Set(requested)];
}

// `<key>_ci` intervals are null when a score has no samples: not scores themselves.
function scalarKeys(scores: Record<string, unknown>): string[] {
  return entriesOf(scores)
    .filter(([key, value]) => !key.endsWith('_ci') && (value === null || typeof value === 'number'))
    .map(([key]) => key);
}

function unpairedReason(a: ComparableRun, b: ComparableRun): string | null {
  if (a.corpusDigest !== b.corpusDigest) {
    return `the runs scored different corpora (digest ${a.corpusDigest} in ${a.runId}, ${b.corpusDigest} in ${b.runId})`;
  }
  for (const run of [a, b]) {
    if (run.bootstrap === null || run.replicateScores === null || run.replicateScores.length === 0) {
      return `run ${run.runId} has no bootstrap replicates`;
    }
    if (run.replicateScores.length !== run.bootstrap.replicates) {
      return `run ${run.runId} stores ${run.replicateScores.length} replicate records but was run with ${run.bootstrap.replicates} replicates`;
    }
  }
  const [settingsA, settingsB] = [a.bootstrap!, b.bootstrap!];
  if (settingsA.replicates !== settingsB.replicates) {
    return `different replicate counts (${settingsA.replicates} in ${a.runId}, ${settingsB.replicates} in ${b.runId})`;
  }
  if (settingsA.seed !== settingsB.seed) {
    return `different bootstrap seeds (${settingsA.seed} in ${a.runId}, ${settingsB.seed} in ${b.runId})`;
  }
  return null;
}

function compareKey(key: string, a: ComparableRun, b: ComparableRun, paired: boolean, confidence: number): KeyComparison {
  const valueA = scalarOf(propertyOf(a.scores, key));
  const valueB = scalarOf(propertyOf(b.scores, key));
  const comparison: KeyComparison = {
    key,
    a: valueA,
    b: valueB,
    difference: valueA === null || valueB === null ? null : valueB - valueA,
    interval: null,
    pValue: null,
    replicates: 0,
  };
  if (!paired) return comparison;
  const replicatesB = b.replicateScores!;
  const differences: number[] = [];
  a.replicateScores!.forEach((recordA, i) => {
    const x = scalarOf(propertyOf(recordA, key));
    const y = scalarOf(propertyOf(replicatesB[i]!, key));
    if (x !== null && y !== null) differences.push(y - x);
  });
  comparison.replicates = differences.length;
  comparison.interval = percentileInterval(differences, confidence);
  comparison.pValue = pairedPValue(differences);
  return comparison;
}

function pairedPValue(differences: number[]): number | null {
  if (differences.length === 0) return null;
  let atMostZero = 0;
  let atLeastZero = 0;
  for (const d of differences) {
    if (d <= 0) atMostZero += 1;
    if (d >= 0) atLeastZero += 1;
  }
  return Math.min(1, (2 * Math.min(atMostZero, atLeastZero)) / differences.length);
}

// NaN (a score with no defined value) compares as missing, as it is written to JSON.
function scalarOf(value: unknown): number | null {
  return typeof value === 'number' && !Number.isNaN(value) ? value : null;
}
