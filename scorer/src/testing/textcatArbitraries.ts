import fc from 'fast-check';
import type { TextcatOptions } from '../textcat/textcatOptions.js';
import type { CatsEntries } from '../textcat/updateTextcat.js';

export interface TextcatExample {
  gold: CatsEntries;
  predicted: CatsEntries;
}

const LABEL_POOL = ['a', 'b', 'spam', 'ham', 'Ünï', '标签'];
// A small grid makes ties in predicted scores common, as they are in practice.
const scoreArbitrary = fc.oneof(
  fc.constantFrom(0, 0.25, 0.5, 0.75, 1),
  fc.double({ min: 0, max: 1, noNaN: true }),
);
const goldValueArbitrary = fc.constantFrom(0, 0, 1, 1, 0.5);

export const textcatOptionsArbitrary: fc.Arbitrary<TextcatOptions> = fc
  .record({
    labels: fc.uniqueArray(fc.constantFrom(...LABEL_POOL), { minLength: 1, maxLength: 4 }),
    multiLabel: fc.boolean(),
    threshold: fc.option(fc.constantFrom(0.3, 0.5, 0.8), { nil: null }),
    usePositive: fc.boolean(),
    macroSummation: fc.constantFrom('plain' as const, 'compensated' as const),
  })
  .map(({ usePositive, ...rest }) => ({ ...rest, positiveLabel: usePositive ? rest.labels[0]! : null }));

export function examplesArbitrary(options: TextcatOptions, maxLength = 60): fc.Arbitrary<TextcatExample[]> {
  const labels = [...options.labels, 'unknown'];
  const entries = (value: fc.Arbitrary<number>) =>
    fc.uniqueArray(fc.constantFrom(...labels), { maxLength: labels.length }).chain((present) =>
      fc.tuple(...present.map((label) => value.map((v) => [label, v] as const))),
    );
  // Every example predicts all configured labels, as a model does.
  const predicted = fc
    .tuple(...options.labels.map((label) => scoreArbitrary.map((v) => [label, v] as const)))
    .chain((pairs) => fc.shuffledSubarray(pairs, { minLength: pairs.length, maxLength: pairs.length }));
  return fc.array(fc.record({ gold: entries(goldValueArbitrary), predicted }), { maxLength });
}

/** Cut points that split `length` items into contiguous shards, some empty. */
export function partitionArbitrary(length: number): fc.Arbitrary<number[]> {
  return fc
    .array(fc.integer({ min: 0, max: length }), { maxLength: 8 })
    .map((cuts) => [0, ...cuts.sort((a, b) => a - b), length]);
}
