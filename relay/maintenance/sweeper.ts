/**
 * Deletes what has expired: envelopes past the mailbox time to live, blobs past theirs (record
 * and bytes), sessions and invitations; and forgets idle rate-limit buckets. Runs on a timer and
 * on demand; two runs never overlap.
 */
import type { BlobFolder } from '../blobs/blob-folder';
import type { RateLimiter } from '../limits/rate-limiter';
import type { Logger } from '../logger';
import type { RelayStore } from '../store/relay-store';

export interface SweeperDeps {
  readonly store: RelayStore;
  readonly folder: BlobFolder;
  readonly limiters: readonly RateLimiter[];
  readonly now: () => number;
  readonly logger: Logger;
}

export class Sweeper {
  private running: Promise<void> | null = null;
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly deps: SweeperDeps) {}

  start(intervalMs: number): void {
    this.timer = setInterval(() => void this.sweep(), intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }

  sweep(): Promise<void> {
    this.running ??= this.run().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  private async run(): Promise<void> {
    const { store, folder, now, logger } = this.deps;
    try {
      for (const limiter of this.deps.limiters) limiter.sweep();
      const envelopes = await store.expireEnvelopes(now());
      let blobs = 0;
      for (;;) {
        const ids = await store.takeExpiredBlobs(now(), 100);
        for (const id of ids) await folder.delete(id);
        blobs += ids.length;
        if (ids.length < 100) break;
      }
      await store.expireCredentials(now());
      if (envelopes > 0 || blobs > 0) {
        logger.info({ event: 'relay.expired', envelopes, blobs }, 'deleted expired envelopes and blobs');
      }
    } catch (error) {
      logger.error({ event: 'relay.sweep_failed', err: error }, 'could not delete expired data; will retry');
    }
  }
}
