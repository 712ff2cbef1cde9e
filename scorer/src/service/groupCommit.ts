import type { PartialScore, ShardStats } from '@evalshard/proto';
import type { PartialStore, StoreOutcome } from './partialStore.js';

/** How long the first submission waits for others to share its commit: a shard takes seconds, this is nothing to it. */
const GATHER_MS = 2;

interface Waiting {
  item: { partial: PartialScore; stats: ShardStats | undefined };
  resolve: (outcome: StoreOutcome) => void;
  reject: (error: unknown) => void;
}

/**
 * Group commit: the partials submitted within a couple of milliseconds are
 * stored in one transaction, and each submitter hears back once that
 * transaction is durable. One fsync and one commit serve many shards, and
 * no acknowledgement comes before its partial is on disk.
 */
export class GroupCommit {
  private waiting: Waiting[] = [];

  constructor(private readonly store: PartialStore) {}

  submit(partial: PartialScore, stats: ShardStats | undefined): Promise<StoreOutcome> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ item: { partial, stats }, resolve, reject });
      if (this.waiting.length === 1) setTimeout(() => this.commit(), GATHER_MS);
    });
  }

  private commit(): void {
    const batch = this.waiting;
    this.waiting = [];
    let outcomes: StoreOutcome[];
    try {
      outcomes = this.store.submitAll(batch.map((waiting) => waiting.item));
    } catch (error) {
      // Rolled back as a whole: none of them is stored, each submitter hears why.
      for (const waiting of batch) waiting.reject(error);
      return;
    }
    batch.forEach((waiting, i) => waiting.resolve(outcomes[i]!));
  }
}
