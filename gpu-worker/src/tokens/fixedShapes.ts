/**
 * The few input shapes exact mode runs. A row's width is the smallest bucket
 * that holds it (16, 32, 64, … doubling, and the model's maximum), fixed by
 * its own length alone; every call for a bucket has the same number of rows
 * (filler rows complete a short batch). A row thus meets the same kernels
 * and the same reduction order wherever it lands, and the graph's operations
 * never mix rows, so its logits are the same bytes in any batch.
 */
export interface FixedShapes {
  readonly widths: readonly number[];
  /** The bucket width for a row of `length` tokens (special tokens included). */
  widthFor(length: number): number;
  /** Rows in every call of bucket `width`. */
  rowsFor(width: number): number;
}

export interface ShapeLimits {
  maxDocs: number;
  /** Padded tokens per call: rows × width. */
  maxTokens: number;
}

const SMALLEST_BUCKET = 16;

export function fixedShapes(maxLength: number, limits: ShapeLimits): FixedShapes {
  const widths: number[] = [];
  for (let width = SMALLEST_BUCKET; width < maxLength; width *= 2) widths.push(width);
  widths.push(maxLength);
  return {
    widths,
    widthFor(length) {
      const width = widths.find((candidate) => candidate >= length);
      if (width === undefined) throw new RangeError(`a row of ${length} tokens is longer than the model's ${maxLength}`);
      return width;
    },
    rowsFor(width) {
      return Math.max(1, Math.min(limits.maxDocs, Math.floor(limits.maxTokens / width)));
    },
  };
}
