/**
 * Makes a file durable as it is written rather than all at the end: every few MiB it starts an
 * fdatasync in the background (one at a time) while writing goes on, so the final sync only has
 * the last piece to flush. A 1 GiB copy synced only at the end made the last write wait for the
 * whole gigabyte to reach the disk.
 */
import type { FileHandle } from 'node:fs/promises';

const SYNC_EVERY_BYTES = 32 * 1024 * 1024;

export class PeriodicSync {
  private sinceSync = 0;
  private syncing: Promise<void> | null = null;

  constructor(private readonly file: FileHandle) {}

  /** `bytes` more were written. */
  wrote(bytes: number): void {
    this.sinceSync += bytes;
    if (this.sinceSync < SYNC_EVERY_BYTES || this.syncing) return;
    this.sinceSync = 0;
    const syncing = this.file.datasync().catch(() => {
      // The final sync reports any failure; this one only spreads the work.
    });
    this.syncing = syncing.finally(() => {
      if (this.syncing === syncing) this.syncing = null;
    });
  }

  /** Everything written so far is on the disk. */
  async finish(): Promise<void> {
    await this.syncing;
    await this.file.sync();
  }
}
