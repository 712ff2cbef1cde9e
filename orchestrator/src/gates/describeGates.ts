import type { RunComparison } from '../compare/compareRuns.js';
import type { GateBreach } from './evaluateGates.js';
import type { Gate, ParsedGates } from './parseGate.js';

/**
 * One line for a run's log or notification: how many gates, which breached,
 * and whether the max-drop gates could be evaluated at all (evaluateGates
 * reports nothing for them without a baseline, which must not read as passed).
 */
export function describeGates(gates: ParsedGates, breaches: GateBreach[], comparison: RunComparison | null): string {
  const count = gates.failIf.length + gates.maxDrop.length;
  if (count === 0) return 'no gates';
  const parts = [
    breaches.length === 0
      ? `${count} gate${count === 1 ? '' : 's'}: none breached`
      : `${count} gate${count === 1 ? '' : 's'}: ${breaches.length} breached (${breaches.map((breach) => breach.gate).join(', ')})`,
  ];
  if (gates.maxDrop.length > 0 && comparison === null) parts.push('max-drop gates not evaluated: no baseline run');
  return parts.join('; ');
}

/** One line per gate, in the order given: its verdict in words. */
export function describeEachGate(gates: ParsedGates, breaches: GateBreach[], comparison: RunComparison | null): string[] {
  const all: Gate[] = [...gates.failIf, ...gates.maxDrop];
  return all.map((gate) => {
    const breach = breaches.find((item) => item.gate === gate.gate);
    if (breach !== undefined) return `${gate.gate}: breached: ${breach.reason}`;
    if (gate.kind === 'max-drop' && comparison === null) return `${gate.gate}: not evaluated: no baseline run`;
    if (gate.kind === 'max-drop') {
      const compared = comparison!.keys.find((item) => item.key === gate.key);
      const p = compared?.pValue === null || compared?.pValue === undefined ? '' : `, p = ${compared.pValue}`;
      return `${gate.gate}: passed (${gate.key} ${compared?.a} → ${compared?.b} against run ${comparison!.a}${p})`;
    }
    return `${gate.gate}: passed`;
  });
}
