import { fixedShapes, type ShapeLimits } from './fixedShapes.js';

/** One model row: token ids (special tokens included) and what it belongs to. */
export interface TokenRow<T> {
  ids: number[];
  item: T;
}

/** One call of the model: `rows` padded to `width`, then `fillers` rows that only complete the shape. */
export interface TokenBatch<T> {
  width: number;
  rows: Array<TokenRow<T>>;
  fillers: number;
}

export interface RowBatcher<T> {
  /** Adds a row; returns the batches it completed. */
  add(row: TokenRow<T>): Array<TokenBatch<T>>;
  /** Every row still waiting, in batches. */
  flush(): Array<TokenBatch<T>>;
  /** Rows waiting for their batch. */
  readonly pending: number;
}

/**
 * How rows are grouped into calls:
 * - `fixed` (exact): per length bucket, a fixed number of rows per call, so
 *   a row's logits do not depend on its neighbours or its position;
 * - `single` (exact, for graphs that mix rows, such as dynamic
 *   quantization's per-tensor scale): one row per call, unpadded;
 * - `dynamic`: rows in arrival order up to the limits, padded to the longest
 *   (fewer padded positions, but a row's last bits may depend on the batch).
 */
export type BatchingMode = 'fixed' | 'single' | 'dynamic';

export function rowBatcher<T>(mode: BatchingMode, maxLength: number, limits: ShapeLimits): RowBatcher<T> {
  if (mode === 'single') {
    return { add: (row) => [{ width: row.ids.length, rows: [row], fillers: 0 }], flush: () => [], pending: 0 };
  }
  return mode === 'fixed' ? new FixedShapeBatcher<T>(maxLength, limits) : new DynamicBatcher<T>(limits);
}

class FixedShapeBatcher<T> implements RowBatcher<T> {
  private readonly shapes;
  private readonly buckets = new Map<number, Array<TokenRow<T>>>();
  private waiting = 0;

  constructor(maxLength: number, limits: ShapeLimits) {
    this.shapes = fixedShapes(maxLength, limits);
  }

  get pending(): number {
    return this.waiting;
  }

  add(row: TokenRow<T>): Array<TokenBatch<T>> {
    const width = this.shapes.widthFor(row.ids.length);
    const bucket = this.buckets.get(width) ?? [];
    this.buckets.set(width, bucket);
    bucket.push(row);
    this.waiting += 1;
    if (bucket.length < this.shapes.rowsFor(width)) return [];
    this.buckets.delete(width);
    this.waiting -= bucket.length;
    return [{ width, rows: bucket, fillers: 0 }];
  }

  flush(): Array<TokenBatch<T>> {
    // Shortest first: a fixed order, whatever order the buckets filled in.
    const widths = [...this.buckets.keys()].sort((a, b) => a - b);
    const batches = widths.map((width) => {
      const rows = this.buckets.get(width)!;
      return { width, rows, fillers: this.shapes.rowsFor(width) - rows.length };
    });
    this.buckets.clear();
    this.waiting = 0;
    return batches;
  }
}

class DynamicBatcher<T> implements RowBatcher<T> {
  private rows: Array<TokenRow<T>> = [];
  private width = 0;

  constructor(private readonly limits: ShapeLimits) {}

  get pending(): number {
    return this.rows.length;
  }

  add(row: TokenRow<T>): Array<TokenBatch<T>> {
    const width = Math.max(this.width, row.ids.length);
    if (this.rows.length === 0 || ((this.rows.length + 1) * width <= this.limits.maxTokens && this.rows.length < this.limits.maxDocs)) {
      this.rows.push(row);
      this.width = width;
      return [];
    }
    const closed = this.flush();
    this.rows.push(row);
    this.width = row.ids.length;
    return closed;
  }

  flush(): Array<TokenBatch<T>> {
    if (this.rows.length === 0) return [];
    const batch = { width: this.width, rows: this.rows, fillers: 0 };
    this.rows = [];
    this.width = 0;
    return [batch];
  }
}
