import { clientChannel, WorkerServiceClient, type ServiceSecurity } from '@evalshard/proto';
import { CLIENT_CHANNEL_OPTIONS } from './channelOptions.js';

/** How long a worker that just failed is passed over while others are free. */
const COOLDOWN_MS = 3_000;

interface PooledWorker {
  address: string;
  client: WorkerServiceClient;
  inFlight: number;
  failedAt: number;
}

export interface WorkerLease {
  address: string;
  client: WorkerServiceClient;
  /** Returns the worker; `failed` passes it over for a while (it may be restarting). */
  release(failed?: boolean): void;
}

/**
 * The GPU workers an activity process may call. A lease goes to the least
 * busy worker that has not failed recently, so concurrent shards spread over
 * the pool and a retry after a crash lands on a live worker.
 */
export class WorkerPool {
  private readonly workers: PooledWorker[];
  private next = 0;

  constructor(addresses: string[], security?: ServiceSecurity) {
    if (addresses.length === 0) throw new Error('a worker pool needs at least one worker address');
    const channel = clientChannel(security, CLIENT_CHANNEL_OPTIONS);
    this.workers = addresses.map((address) => ({
      address,
      client: new WorkerServiceClient(address, channel.credentials, channel.options),
      inFlight: 0,
      failedAt: Number.NEGATIVE_INFINITY,
    }));
  }

  get size(): number {
    return this.workers.length;
  }

  lease(): WorkerLease {
    const now = Date.now();
    const start = this.next++ % this.workers.length;
    let best: PooledWorker | undefined;
    for (let k = 0; k < this.workers.length; k++) {
      const worker = this.workers[(start + k) % this.workers.length]!;
      if (best === undefined || rank(worker, now) < rank(best, now)) best = worker;
    }
    const chosen = best!;
    chosen.inFlight += 1;
    let released = false;
    return {
      address: chosen.address,
      client: chosen.client,
      release: (failed = false) => {
        if (released) return;
        released = true;
        chosen.inFlight -= 1;
        if (failed) chosen.failedAt = Date.now();
      },
    };
  }

  close(): void {
    for (const worker of this.workers) worker.client.close();
  }
}

// Healthy before cooling down, then fewer shards in flight.
function rank(worker: PooledWorker, now: number): number {
  const coolingDown = now - worker.failedAt < COOLDOWN_MS ? 1 : 0;
  return coolingDown * 1_000_000 + worker.inFlight;
}
