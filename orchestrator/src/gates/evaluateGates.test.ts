import fc from 'fast-check';
import { InputError } from '@evalshard/scorer';
import { describe, expect, it } from 'vitest';
import { compareRuns, type ComparableRun } from '../compare/compareRuns.js';
import { describeEachGate, describeGates } from './describeGates.js';
import { evaluateGates } from './evaluateGates.js';
import { parseGates, type GateOperator } from './parseGate.js';

const OPERATORS: GateOperator[] = ['<', '<=', '>', '>=', '==', '!='];
const KEYS = ['ents_f', 'tag_acc', '0', '10', 'cats_score'];
const GRID = [0, 0.25, 0.5, 0.8, 1];
const scoreArbitrary = fc.oneof(fc.constantFrom(...GRID), fc.double({ min: 0, max: 1, noNaN: true }), fc.constant(null));

// The condition by the sign of value − threshold (exact for finite doubles): not the table evaluateGates uses.
function holds(value: number, operator: GateOperator, threshold: number): boolean {
  const sign = Math.sign(value - threshold);
  return { '<': sign < 0, '<=': sign <= 0, '>': sign > 0, '>=': sign >= 0, '==': sign === 0, '!=': sign !== 0 }[operator];
}

function runWith(runId: string, values: Record<string, number | null>, replicates: Array<Record<string, number | null>> | null): ComparableRun {
  return {
    runId,
    scores: values,
    corpusDigest: 'corpus',
    bootstrap: replicates === null ? null : { replicates: replicates.length, seed: 3 },
    replicateScores: replicates,
  };
}

describe('evaluateGates --fail-if', () => {
  it('breaches exactly when the condition holds, or when the key has no number', () => {
    fc.assert(
      fc.property(
        fc.dictionary(fc.constantFrom(...KEYS), scoreArbitrary),
        fc.array(fc.record({ key: fc.constantFrom(...KEYS), operator: fc.constantFrom(...OPERATORS), threshold: fc.constantFrom(...GRID) }), { maxLength: 6 }),
        (scores, conditions) => {
          const gates = parseGates({ failIf: conditions.map((c) => `${c.key} ${c.operator} ${c.threshold}`) });
          const breaches = evaluateGates(gates, { scores }, null, {});
          const expected = conditions.filter((c) => {
            const value = scores[c.key];
            return typeof value !== 'number' || holds(value, c.operator, c.threshold);
          });
          expect(breaches.map((breach) => breach.key)).toEqual(expected.map((c) => c.key));
          for (const breach of breaches) {
            const value = scores[breach.key];
            if (value === undefined) expect(breach.reason).toContain('not among');
            else if (value === null) expect(breach.reason).toContain('no value');
            else expect(breach.value).toBe(value);
          }
        },
      ),
    );
  });

  it('treats a score that is not a number (a per-type map) as a breach', () => {
    const gates = parseGates({ failIf: ['ents_per_type > 0'] });
    const [breach] = evaluateGates(gates, { scores: { ents_per_type: { PER: { p: 1 } } } }, null, {});
    expect(breach?.reason).toContain('not a number');
  });
});

describe('evaluateGates --max-drop', () => {
  const replicateArbitrary = fc.integer({ min: 1, max: 30 }).chain((n) =>
    fc.tuple(fc.array(scoreArbitrary, { minLength: n, maxLength: n }), fc.array(scoreArbitrary, { minLength: n, maxLength: n })),
  );

  it('breaches when baseline − current exceeds the allowed drop; with alpha, only when the paired p-value is below it', () => {
    fc.assert(
      fc.property(
        scoreArbitrary,
        scoreArbitrary,
        replicateArbitrary,
        fc.constantFrom(0, 0.01, 0.1, 0.3),
        fc.option(fc.constantFrom(0.05, 0.2, 0.5, 0.99), { nil: undefined }),
        (baseline, current, [baselineReplicates, currentReplicates], allowed, alpha) => {
          const a = runWith('base', { ents_f: baseline }, baselineReplicates.map((value) => ({ ents_f: value })));
          const b = runWith('now', { ents_f: current }, currentReplicates.map((value) => ({ ents_f: value })));
          const comparison = compareRuns(a, b);
          const gates = parseGates({ maxDrop: [`ents_f=${allowed}`] });
          const breaches = evaluateGates(gates, b, comparison, { alpha });
          const compared = comparison.keys[0]!;
          let expected: boolean;
          if (baseline === null || current === null) expected = true;
          else if (!(baseline - current > allowed)) expected = false;
          else expected = alpha === undefined || compared.pValue === null || compared.pValue < alpha;
          expect(breaches.length).toBe(expected ? 1 : 0);
          const breach = breaches[0];
          if (breach !== undefined && baseline !== null && current !== null) {
            expect(breach).toMatchObject({ key: 'ents_f', value: current, baseline, drop: baseline - current, pValue: compared.pValue });
            expect(breach.interval).toEqual(compared.interval);
          }
        },
      ),
    );
  });

  it('breaches on the drop alone when the runs do not pair, and says the significance could not be tested', () => {
    const a = runWith('base', { ents_f: 0.9 }, null);
    const b = runWith('now', { ents_f: 0.5 }, null);
    const comparison = compareRuns(a, b);
    const breaches = evaluateGates(parseGates({ maxDrop: ['ents_f=0.01'] }), b, comparison, { alpha: 0.05 });
    expect(breaches).toHaveLength(1);
    expect(breaches[0]!.reason).toContain('could not be tested');
    expect(breaches[0]!.reason).toContain(comparison.reason!);
  });

  it('does not evaluate max-drop gates without a baseline, and the summary says so', () => {
    const gates = parseGates({ failIf: ['ents_f < 0.5'], maxDrop: ['ents_f=0'] });
    const run = { scores: { ents_f: 0.7 } };
    const breaches = evaluateGates(gates, run, null, { alpha: 0.05 });
    expect(breaches).toEqual([]);
    expect(describeGates(gates, breaches, null)).toContain('not evaluated');
    expect(describeEachGate(gates, breaches, null)).toHaveLength(2);
    expect(describeGates(parseGates({}), [], null)).toBe('no gates');
  });

  it('names a breached gate in the summary and rejects an alpha outside (0, 1)', () => {
    const gates = parseGates({ failIf: ['ents_f < 0.5'] });
    const breaches = evaluateGates(gates, { scores: { ents_f: 0.25 } }, null, {});
    expect(describeGates(gates, breaches, null)).toContain(gates.failIf[0]!.gate);
    expect(describeEachGate(gates, breaches, null)[0]).toContain(breaches[0]!.reason);
    expect(() => evaluateGates(gates, { scores: {} }, null, { alpha: 1 })).toThrow(InputError);
  });
});
