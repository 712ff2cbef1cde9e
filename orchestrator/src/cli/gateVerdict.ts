import type { GateOutcome } from '../runTypes.js';

/** The gates' verdict as the command prints it, one line per gate. */
export function gateVerdict(gates: GateOutcome): string {
  const head =
    gates.breaches.length > 0
      ? `REGRESSED: ${gates.breaches.length} gate${gates.breaches.length > 1 ? 's' : ''} breached`
      : 'gates: all passed';
  const baseline = gates.baselineRunId === null ? '' : ` (baseline: run ${gates.baselineRunId})`;
  return [`${head}${baseline}`, ...gates.summary.map((line) => `  ${line}`)].join('\n') + '\n';
}
