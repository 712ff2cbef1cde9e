import { InputError } from '@evalshard/scorer';

export type GateOperator = '<' | '<=' | '>' | '>=' | '==' | '!=';

/** `--fail-if "ents_f < 0.80"`: the run fails when the condition holds. */
export interface FailIfGate {
  kind: 'fail-if';
  /** The gate as the user wrote it, flag included, for messages. */
  gate: string;
  key: string;
  operator: GateOperator;
  threshold: number;
}

/** `--max-drop ents_f=0.01`: the run fails when the key fell more than `allowed` below the baseline. */
export interface MaxDropGate {
  kind: 'max-drop';
  gate: string;
  key: string;
  allowed: number;
}

export type Gate = FailIfGate | MaxDropGate;

export interface ParsedGates {
  failIf: FailIfGate[];
  maxDrop: MaxDropGate[];
}

// Two-character operators first, so "<=" is not read as "<" followed by "=0.8".
const CONDITION = /^(\S+?)\s*(<=|>=|==|!=|<|>)\s*(\S+)$/;
// Decimal notation only: Number() would also take "", "0x10" and "Infinity".
const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/** One gate flag's value; a malformed one is an InputError whose field is the flag. */
export function parseGate(flag: '--fail-if' | '--max-drop', text: string): Gate {
  return flag === '--fail-if' ? parseFailIf(text) : parseMaxDrop(text);
}

/** Every gate of the repeated flags, in the order given. */
export function parseGates(flags: { failIf?: readonly string[]; maxDrop?: readonly string[] }): ParsedGates {
  return {
    failIf: (flags.failIf ?? []).map(parseFailIf),
    maxDrop: (flags.maxDrop ?? []).map(parseMaxDrop),
  };
}

function parseFailIf(text: string): FailIfGate {
  const gate = `--fail-if "${text.trim()}"`;
  const match = CONDITION.exec(text.trim());
  if (match === null) {
    throw new InputError(`--fail-if: "${text}" is not a condition KEY OP NUMBER (OP one of <, <=, >, >=, ==, !=), e.g. "ents_f < 0.80"`, {
      field: '--fail-if',
      code: 'BAD_GATE',
    });
  }
  const [, key, operator, value] = match as unknown as [string, string, GateOperator, string];
  return { kind: 'fail-if', gate, key, operator, threshold: finiteNumber(value, '--fail-if', text) };
}

function parseMaxDrop(text: string): MaxDropGate {
  const trimmed = text.trim();
  const gate = `--max-drop ${trimmed}`;
  // The last "=" splits: a key may hold one, a number never does.
  const at = trimmed.lastIndexOf('=');
  const key = trimmed.slice(0, at);
  if (at < 0 || key === '' || /\s/.test(key)) {
    throw new InputError(`--max-drop: "${text}" is not KEY=DROP, e.g. ents_f=0.01`, { field: '--max-drop', code: 'BAD_GATE' });
  }
  const allowed = finiteNumber(trimmed.slice(at + 1), '--max-drop', text);
  if (allowed < 0) {
    throw new InputError(`--max-drop: "${text}": the allowed drop must not be negative`, { field: '--max-drop', code: 'BAD_GATE' });
  }
  return { kind: 'max-drop', gate, key, allowed };
}

function finiteNumber(value: string, field: '--fail-if' | '--max-drop', text: string): number {
  const number = DECIMAL.test(value) ? Number(value) : Number.NaN;
  if (!Number.isFinite(number)) {
    throw new InputError(`${field}: "${text}": "${value}" is not a finite number`, { field, code: 'BAD_GATE' });
  }
  return number;
}
