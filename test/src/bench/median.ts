/** The middle value (the upper one of an even count): benchmarks report medians of interleaved rounds. */
export function median(values: readonly number[]): number {
  return [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
}
