import fc from 'fast-check';
import { InputError } from '@evalshard/scorer';
import { describe, expect, it } from 'vitest';
import { parseGate, parseGates, type GateOperator } from './parseGate.js';

const OPERATORS: GateOperator[] = ['<', '<=', '>', '>=', '==', '!='];
// Any token without white space; the operator characters inside a key are allowed too.
const keyArbitrary = fc.stringMatching(/^[A-Za-z0-9_.:\-ü标😀]{1,12}$/);
const numberArbitrary = fc.double({ noNaN: true, noDefaultInfinity: true });

function inputErrorOf(run: () => unknown): InputError {
  try {
    run();
  } catch (error) {
    if (error instanceof InputError) return error;
    throw error;
  }
  throw new Error('no error thrown');
}

describe('parseGate --fail-if', () => {
  it('reads KEY OP NUMBER with or without spaces, any number JavaScript writes', () => {
    fc.assert(
      fc.property(keyArbitrary, fc.constantFrom(...OPERATORS), numberArbitrary, fc.constantFrom('', ' ', '  '), (key, operator, threshold, space) => {
        const gate = parseGate('--fail-if', `${key}${space}${operator}${space}${String(threshold)}`);
        expect(gate).toMatchObject({ kind: 'fail-if', key, operator });
        // String() writes -0 as "0".
        expect(gate.kind === 'fail-if' && gate.threshold).toBe(Number(String(threshold)));
      }),
    );
  });

  it('rejects a missing or unknown operator, a missing key and values that are not finite decimal numbers', () => {
    for (const text of ['ents_f', 'ents_f 0.8', 'ents_f = 0.8', '< 0.8', 'ents_f <', 'ents_f < abc', 'ents_f < 0x10', 'ents_f < Infinity', 'ents_f < 1e999', 'ents_f < NaN', 'ents f < 0.8', '']) {
      const error = inputErrorOf(() => parseGate('--fail-if', text));
      expect(error.field, text).toBe('--fail-if');
      expect(error.message, text).toContain('--fail-if');
    }
  });
});

describe('parseGate --max-drop', () => {
  it('reads KEY=DROP, the last "=" splitting', () => {
    fc.assert(
      fc.property(keyArbitrary, fc.boolean(), fc.double({ min: 0, noNaN: true, noDefaultInfinity: true }), (key, withEquals, drop) => {
        const fullKey = withEquals ? `${key}=x` : key;
        const gate = parseGate('--max-drop', `${fullKey}=${String(drop)}`);
        expect(gate).toMatchObject({ kind: 'max-drop', key: fullKey, allowed: Number(String(drop)) });
      }),
    );
  });

  it('rejects a missing key, a missing "=", a negative or non-numeric drop', () => {
    for (const text of ['ents_f', '=0.01', 'ents_f=', 'ents_f=-0.01', 'ents_f=lots', 'ents f=0.01', 'ents_f=1e999']) {
      const error = inputErrorOf(() => parseGate('--max-drop', text));
      expect(error.field, text).toBe('--max-drop');
    }
  });

  it('parses repeated flags in order', () => {
    const gates = parseGates({ failIf: ['a < 0.5', 'b >= 1'], maxDrop: ['c=0.01'] });
    expect(gates.failIf.map((gate) => gate.key)).toEqual(['a', 'b']);
    expect(gates.maxDrop.map((gate) => gate.key)).toEqual(['c']);
    expect(parseGates({})).toEqual({ failIf: [], maxDrop: [] });
  });
});
