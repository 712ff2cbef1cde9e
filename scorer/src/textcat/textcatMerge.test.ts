import fc from 'fast-check';
import { TextcatState as TextcatStateMessage } from '@evalshard/proto';
import { describe, expect, it } from 'vitest';
import { examplesArbitrary, partitionArbitrary, textcatOptionsArbitrary, type TextcatExample } from '../testing/textcatArbitraries.js';
import { scoreTextcat } from './scoreTextcat.js';
import { decodeTextcatState, encodeTextcatState } from './textcatCodec.js';
import type { TextcatOptions } from './textcatOptions.js';
import { initTextcatState, mergeTextcatState, type TextcatState } from './textcatState.js';
import { labelIndexOf, updateTextcat } from './updateTextcat.js';

function fold(options: TextcatOptions, examples: readonly TextcatExample[]): TextcatState {
  const state = initTextcatState(options);
  const index = labelIndexOf(options);
  for (const example of examples) updateTextcat(state, options, index, example.gold, example.predicted);
  return state;
}

// What a shard's state goes through between a worker and the scorer.
function overTheWire(state: TextcatState, options: TextcatOptions): TextcatState {
  const bytes = TextcatStateMessage.encode(encodeTextcatState(state)).finish();
  return decodeTextcatState(TextcatStateMessage.decode(bytes), options);
}

// Merges adjacent states in a random order until one is left: every binary
// merge tree over the shards can come out of this.
function mergeInRandomTree(states: TextcatState[], picks: number[]): TextcatState {
  const pending = [...states];
  let pick = 0;
  while (pending.length > 1) {
    const i = (picks[pick++ % Math.max(1, picks.length)] ?? 0) % (pending.length - 1);
    const merged = mergeTextcatState(pending[i]!, pending[i + 1]!);
    pending.splice(i, 2, merged);
  }
  return pending[0]!;
}

// Options, examples under them, and whatever else a property needs of both.
function withExamples<T>(extra: (examples: TextcatExample[]) => fc.Arbitrary<T>) {
  return textcatOptionsArbitrary.chain((options) =>
    examplesArbitrary(options).chain((examples) =>
      extra(examples).map((rest) => ({ options, examples, ...rest })),
    ),
  );
}

describe('textcat state merging', () => {
  it('gives the single-pass scores for any sharding and any merge tree', () => {
    fc.assert(
      fc.property(
        withExamples((examples) =>
          fc.record({ cuts: partitionArbitrary(examples.length), picks: fc.array(fc.nat(), { maxLength: 16 }) }),
        ),
        ({ options, examples, cuts, picks }) => {
          const expected = scoreTextcat(fold(options, examples), options);
          const shards = cuts.slice(1).map((end, i) => examples.slice(cuts[i], end));
          const states = shards.map((shard) => overTheWire(fold(options, shard), options));
          expect(scoreTextcat(mergeInRandomTree(states, picks), options)).toEqual(expected);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('encodes the same content to the same bytes whatever the update order within a shard', () => {
    fc.assert(
      fc.property(
        withExamples((examples) =>
          fc.record({ shuffled: fc.shuffledSubarray(examples, { minLength: examples.length, maxLength: examples.length }) }),
        ),
        ({ options, examples, shuffled }) => {
          const encode = (state: TextcatState) => TextcatStateMessage.encode(encodeTextcatState(state)).finish();
          expect(encode(fold(options, shuffled))).toEqual(encode(fold(options, examples)));
        },
      ),
      { numRuns: 200 },
    );
  });
});
