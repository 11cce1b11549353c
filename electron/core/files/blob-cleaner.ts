/**
 * Tells the relay which blobs this device is done with: deletes the blobs of deleted files it
 * uploaded, and releases blobs it received once it holds a verified copy (or never will), so the
 * relay deletes each when every recipient device has released it, before it expires. Runs after
 * such a change and whenever the relay connection comes back; what the relay has not confirmed
 * stays listed (store.blobCleanup) for the next run.
 */
import { ParleyError } from '../../../shared/errors';
import type { CoreLogger } from '../core';
import type { Store } from '../store';
import type { BlobPort } from './blob-port';

export class BlobCleaner {
  private running: Promise<void> | null = null;
  private again = false;

  constructor(
    private readonly store: Store,
    private readonly relay: BlobPort,
    private readonly logger: CoreLogger,
  ) {}

  /** Cleans up what is listed; resolves when this run (or the one it joined) is over. */
  run(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = this.drain()
      .catch((error: unknown) => {
        // The store closed (locked) in the middle: the list is still there for the next run.
        this.logger.warn(
          { event: 'files.cleanup_failed', code: error instanceof ParleyError ? error.code : 'INTERNAL' },
          'could not finish telling the relay about deleted files',
        );
      })
      .finally(() => {
        this.running = null;
        if (this.again) {
          this.again = false;
          void this.run();
        }
      });
    return this.running;
  }

  private async drain(): Promise<void> {
    for (const item of this.store.isOpen ? this.store.blobCleanup.pending() : []) {
      try {
        if (item.capabilityToken === null) await this.relay.deleteBlob(item.blobId);
        else await this.relay.releaseBlob(item.blobId, item.capabilityToken);
      } catch (error) {
        // Gone already (expired, or fetched by everyone): nothing left to do.
        if (!(error instanceof ParleyError && error.code === 'RELAY_BLOB_NOT_FOUND')) {
          this.logger.info(
            { event: 'files.cleanup_deferred', code: error instanceof ParleyError ? error.code : 'INTERNAL' },
            'the relay could not delete a file yet; will retry',
          );
          return;
        }
      }
      if (!this.store.isOpen) return;
      this.store.blobCleanup.remove(item.blobId);
    }
  }
}
