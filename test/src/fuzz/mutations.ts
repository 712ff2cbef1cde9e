import fc from 'fast-check';
import { expect } from 'vitest';

/**
 * Mutation fuzzing: a valid input, damaged by a few edits at random places.
 * Positions are taken modulo the current length, so every edit applies to
 * whatever the earlier ones left (uniformly: fast-check's doubles crowd near 0).
 */
export type Mutation =
  | { kind: 'replace'; at: number; byte: number }
  | { kind: 'insert'; at: number; bytes: Uint8Array }
  | { kind: 'delete'; at: number; length: number }
  | { kind: 'duplicate'; at: number; length: number }
  | { kind: 'truncate'; at: number }
  | { kind: 'swapLines'; a: number; b: number };

// Bytes that break parsers: invalid UTF-8, NUL, line ends, quotes, escapes, separators.
const NASTY_BYTES = [0x00, 0x0a, 0x0d, 0x09, 0x20, 0x22, 0x5c, 0x7b, 0x7d, 0x5b, 0x5d, 0x2c, 0x3a, 0x2d, 0x23, 0x30, 0x39, 0x5f, 0x3d, 0x7c, 0xc3, 0xe2, 0xf0, 0xff, 0xfe, 0x80];

const position = fc.nat();

/** One edit; `snippets` are format-specific fragments worth splicing in (numbers out of range, deep nesting, markers). */
export function mutation(snippets: readonly string[]): fc.Arbitrary<Mutation> {
  const encoded = snippets.map((snippet) => new TextEncoder().encode(snippet));
  return fc.oneof(
    fc.record({ kind: fc.constant('replace' as const), at: position, byte: fc.oneof(fc.constantFrom(...NASTY_BYTES), fc.integer({ min: 0, max: 255 })) }),
    fc.record({
      kind: fc.constant('insert' as const),
      at: position,
      bytes: fc.oneof(
        { weight: 3, arbitrary: fc.constantFrom(...encoded) },
        { weight: 1, arbitrary: fc.uint8Array({ minLength: 1, maxLength: 8 }) },
        { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 6 }).map((text) => new TextEncoder().encode(text)) },
      ),
    }),
    fc.record({ kind: fc.constant('delete' as const), at: position, length: fc.integer({ min: 1, max: 40 }) }),
    fc.record({ kind: fc.constant('duplicate' as const), at: position, length: fc.integer({ min: 1, max: 200 }) }),
    fc.record({ kind: fc.constant('truncate' as const), at: position }),
    fc.record({ kind: fc.constant('swapLines' as const), a: position, b: position }),
  );
}

export function mutations(snippets: readonly string[]): fc.Arbitrary<Mutation[]> {
  return fc.array(mutation(snippets), { minLength: 1, maxLength: 4 });
}

export function applyMutations(input: Uint8Array, edits: readonly Mutation[]): Buffer {
  let data = Buffer.from(input);
  for (const edit of edits) {
    const at = (position: number) => position % (data.length + 1);
    switch (edit.kind) {
      case 'replace': {
        if (data.length === 0) break;
        data[Math.min(at(edit.at), data.length - 1)] = edit.byte;
        break;
      }
      case 'insert': {
        const i = at(edit.at);
        data = Buffer.concat([data.subarray(0, i), edit.bytes, data.subarray(i)]);
        break;
      }
      case 'delete': {
        const i = at(edit.at);
        data = Buffer.concat([data.subarray(0, i), data.subarray(i + edit.length)]);
        break;
      }
      case 'duplicate': {
        const i = at(edit.at);
        data = Buffer.concat([data.subarray(0, i + edit.length), data.subarray(i)]);
        break;
      }
      case 'truncate':
        data = data.subarray(0, at(edit.at));
        break;
      case 'swapLines': {
        const lines = data.toString('latin1').split('\n');
        const [a, b] = [edit.a % lines.length, edit.b % lines.length];
        [lines[a], lines[b]] = [lines[b]!, lines[a]!];
        data = Buffer.from(lines.join('\n'), 'latin1');
        break;
      }
    }
  }
  return data;
}

/** The seed of this run: EVALSHARD_FUZZ_SEED to repeat one, else fresh. */
export function fuzzSeed(): number {
  const given = process.env.EVALSHARD_FUZZ_SEED;
  const seed = given === undefined || given === '' ? Math.floor(Math.random() * 2 ** 31) : Number(given);
  // Said before the cases run: a case that takes the process down (out of memory) leaves no report to print it.
  process.stderr.write(`fuzz seed ${seed} (${expect.getState().currentTestName ?? 'fuzz'})\n`);
  return seed;
}

/** Cases per target: EVALSHARD_FUZZ_CASES, else `defaultCases`. */
export function fuzzCases(defaultCases: number): number {
  const given = process.env.EVALSHARD_FUZZ_CASES;
  return given === undefined || given === '' ? defaultCases : Number(given);
}
