/**
 * Merges a sequence of states left to right through a balanced tree, so n
 * pushes cost O(n log n) element work instead of the O(n^2) of folding each
 * new state into one growing accumulator. Only adjacent runs merge, always
 * (left, right): for an order-dependent but associative merge the result is
 * that of merging in sequence.
 */
export class OrderedMerge<T> {
  private readonly stack: Array<{ state: T; weight: number }> = [];

  constructor(private readonly merge: (left: T, right: T) => T) {}

  push(state: T): void {
    let entry = { state, weight: 1 };
    while (this.stack.length > 0 && this.stack[this.stack.length - 1]!.weight <= entry.weight) {
      const left = this.stack.pop()!;
      entry = { state: this.merge(left.state, entry.state), weight: left.weight + entry.weight };
    }
    this.stack.push(entry);
  }

  /** The merge of everything pushed, or undefined if nothing was. */
  result(): T | undefined {
    let merged: T | undefined;
    for (let i = this.stack.length - 1; i >= 0; i--) {
      const left = this.stack[i]!.state;
      merged = merged === undefined ? left : this.merge(left, merged);
    }
    return merged;
  }
}
