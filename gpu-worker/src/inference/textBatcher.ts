import type { CatsEntries } from '@evalshard/scorer';

export interface EncodedDoc {
  ids: number[];
  gold: CatsEntries;
}

export interface TextBatch {
  docs: EncodedDoc[];
  /** Longest document in the batch; every row is padded to it. */
  width: number;
}

export interface BatchLimits {
  maxDocs: number;
  /** Padded tokens: documents times width. */
  maxTokens: number;
}

/**
 * Groups documents into micro-batches bounded by document count and padded
 * token count, so a batch's tensors have a size fixed by the limits, not by
 * the corpus.
 */
export class TextBatcher {
  private docs: EncodedDoc[] = [];
  private width = 0;

  constructor(private readonly limits: BatchLimits) {}

  /** Adds a document; returns the batch it closed, if it did not fit. */
  add(doc: EncodedDoc): TextBatch | undefined {
    const width = Math.max(this.width, doc.ids.length);
    const fits = this.docs.length + 1 <= this.limits.maxDocs && (this.docs.length + 1) * width <= this.limits.maxTokens;
    if (fits || this.docs.length === 0) {
      this.docs.push(doc);
      this.width = width;
      return undefined;
    }
    const closed = this.flush();
    this.docs.push(doc);
    this.width = doc.ids.length;
    return closed;
  }

  flush(): TextBatch | undefined {
    if (this.docs.length === 0) return undefined;
    const batch = { docs: this.docs, width: this.width };
    this.docs = [];
    this.width = 0;
    return batch;
  }
}
