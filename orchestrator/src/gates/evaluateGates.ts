import { InputError, propertyOf } from '@evalshard/scorer';
import type { RunComparison } from '../compare/compareRuns.js';
import type { FailIfGate, GateOperator, MaxDropGate, ParsedGates } from './parseGate.js';

export interface GateBreach {
  /** The gate as written, flag included. */
  gate: string;
  key: string;
  /** The run's value (null: none). */
  value: number | null;
  baseline?: number | null;
  /** baseline − value. */
  drop?: number;
  /** The paired bootstrap interval of value − baseline. */
  interval?: [number, number] | null;
  pValue?: number | null;
  reason: string;
}

export interface GateOptions {
  /** A max-drop counts only when the paired bootstrap's p-value is below this. */
  alpha?: number;
}

const HOLDS: Record<GateOperator, (value: number, threshold: number) => boolean> = {
  '<': (value, threshold) => value < threshold,
  '<=': (value, threshold) => value <= threshold,
  '>': (value, threshold) => value > threshold,
  '>=': (value, threshold) => value >= threshold,
  '==': (value, threshold) => value === threshold,
  '!=': (value, threshold) => value !== threshold,
};

/**
 * The gates the run breaches, fail-if gates first, each in the order given.
 * A key the run has no number for breaches a fail-if gate: a gate that
 * cannot be checked must not pass silently. Max-drop gates compare with the
 * baseline through `comparison` (a = baseline, b = this run); without one
 * (no baseline run) they are not evaluated and nothing is reported for them.
 */
export function evaluateGates(
  gates: ParsedGates,
  run: { scores: Record<string, unknown> },
  comparison: RunComparison | null,
  options: GateOptions = {},
): GateBreach[] {
  const { alpha } = options;
  if (alpha !== undefined && !(alpha > 0 && alpha < 1)) {
    throw new InputError(`--alpha: ${alpha} is not a significance level between 0 and 1`, { field: '--alpha', code: 'BAD_GATE' });
  }
  const breaches: GateBreach[] = [];
  for (const gate of gates.failIf) {
    const breach = failIfBreach(gate, run.scores);
    if (breach !== null) breaches.push(breach);
  }
  if (comparison === null) return breaches;
  for (const gate of gates.maxDrop) {
    const breach = maxDropBreach(gate, comparison, alpha);
    if (breach !== null) breaches.push(breach);
  }
  return breaches;
}

function failIfBreach(gate: FailIfGate, scores: Record<string, unknown>): GateBreach | null {
  const { key } = gate;
  const raw = propertyOf(scores, key);
  const missing = (reason: string): GateBreach => ({ gate: gate.gate, key, value: null, reason });
  if (raw === undefined) return missing(`${key} is not among the run's scores`);
  if (raw === null || (typeof raw === 'number' && Number.isNaN(raw))) return missing(`${key} has no value (null)`);
  if (typeof raw !== 'number') return missing(`${key} is not a number`);
  if (!HOLDS[gate.operator](raw, gate.threshold)) return null;
  return { gate: gate.gate, key, value: raw, reason: `${key} = ${raw} ${gate.operator} ${gate.threshold}` };
}

function maxDropBreach(gate: MaxDropGate, comparison: RunComparison, alpha: number | undefined): GateBreach | null {
  const { key } = gate;
  const compared = comparison.keys.find((item) => item.key === key);
  if (compared === undefined) {
    return { gate: gate.gate, key, value: null, baseline: null, reason: `${key} was not compared with the baseline run ${comparison.a}` };
  }
  const { a: baseline, b: value } = compared;
  if (baseline === null || value === null) {
    const which = baseline === null ? `the baseline run ${comparison.a}` : 'this run';
    return { gate: gate.gate, key, value, baseline, reason: `${key} has no value in ${which}: the drop cannot be measured` };
  }
  const drop = baseline - value;
  if (!(drop > gate.allowed)) return null;
  const fell = `${key} fell by ${drop} (from ${baseline} to ${value}), more than the ${gate.allowed} allowed`;
  const breach: Omit<GateBreach, 'reason'> = { gate: gate.gate, key, value, baseline, drop, interval: compared.interval, pValue: compared.pValue };
  if (alpha === undefined) return { ...breach, reason: fell };
  // The drop breaches only when the paired bootstrap says it is unlikely to be noise.
  if (!comparison.paired) {
    return { ...breach, reason: `${fell}; its significance could not be tested: ${comparison.reason}` };
  }
  if (compared.pValue === null) {
    return { ...breach, reason: `${fell}; its significance could not be tested: no replicate has a value in both runs` };
  }
  if (compared.pValue >= alpha) return null;
  return { ...breach, reason: `${fell}; paired bootstrap p = ${compared.pValue} < alpha ${alpha}` };
}
