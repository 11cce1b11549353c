/**
 * An encrypted copy that may still be growing: the uploader reads what is on disk so far and
 * waits for more, so a file is uploaded while the app is still handing it over. The newest few
 * MiB written are also kept in memory (the same buffers that went to disk), so an uploader that
 * keeps up takes them from there instead of reading them back.
 */

import { MAX_UNWRITTEN_BYTES } from '@parley/direct-io';
import { ParleyError } from '../../../shared/errors';

export interface GrowingFile {
  readonly path: string;
  /** Bytes written so far (the newest of them perhaps still in memory only: see recent). */
  written(): number;
  /** All of it is on disk. */
  complete(): boolean;
  /** Resolves once more than `offset` bytes are written, or the file is complete; rejects if it failed. */
  grown(offset: number, signal: AbortSignal): Promise<void>;
  /** Bytes from `offset` on that are still in memory (at most up to `end`), or null. */
  recent(offset: number, end: number): Uint8Array | null;
}

/**
 * How much of the newest part of a growing copy stays in memory for the uploader: at least what
 * its writer may have taken but not yet put in the file, so a reader never reads a hole.
 */
const RECENT_BYTES = 2 * MAX_UNWRITTEN_BYTES;

/** A copy that is complete on disk already (an upload resumed after a restart). */
export function completeFile(path: string, size: number): GrowingFile {
  return {
    path,
    written: () => size,
    complete: () => true,
    grown: async () => {},
    recent: () => null,
  };
}

/** Tracks a file's growth for GrowingFile readers, as its writer reports it. */
export class FileGrowth implements GrowingFile {
  private bytes = 0;
  private done = false;
  private failure: Error | null = null;
  private readonly waiters = new Set<() => void>();
  /** The newest chunks on disk, oldest first, with the offset of the first. */
  private readonly kept: Uint8Array[] = [];
  private keptFrom = 0;
  private keptBytes = 0;

  constructor(readonly path: string) {}

  written(): number {
    return this.bytes;
  }

  complete(): boolean {
    return this.done;
  }

  /**
   * The writer took these chunks (in order; they are not changed afterwards); all but the newest
   * MAX_UNWRITTEN_BYTES of what it took are in the file.
   */
  add(chunks: readonly Uint8Array[]): void {
    for (const chunk of chunks) {
      this.bytes += chunk.length;
      this.kept.push(chunk);
      this.keptBytes += chunk.length;
    }
    while (this.kept.length > 1 && this.keptBytes - this.kept[0]!.length >= RECENT_BYTES) {
      const old = this.kept.shift()!;
      this.keptFrom += old.length;
      this.keptBytes -= old.length;
    }
    this.wakeAll();
  }

  recent(offset: number, end: number): Uint8Array | null {
    if (offset < this.keptFrom) return null;
    let at = this.keptFrom;
    for (const chunk of this.kept) {
      if (offset < at + chunk.length) return chunk.subarray(offset - at, Math.min(chunk.length, end - at));
      at += chunk.length;
    }
    return null;
  }

  /** The writer finished: everything is on disk. */
  finish(): void {
    this.done = true;
    this.wakeAll();
  }

  /** The writer failed: readers waiting for more stop with this error. */
  fail(error: Error): void {
    this.failure ??= error;
    this.forget();
    this.wakeAll();
  }

  /** Lets go of the chunks kept in memory (the copy is complete or abandoned). */
  forget(): void {
    this.keptFrom += this.keptBytes;
    this.kept.length = 0;
    this.keptBytes = 0;
  }

  grown(offset: number, signal: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
      const check = () => {
        if (signal.aborted) settle(() => reject(cancelled()));
        else if (this.failure) settle(() => reject(this.failure));
        else if (this.bytes > offset || this.done) settle(resolve);
      };
      const settle = (then: () => void) => {
        this.waiters.delete(check);
        signal.removeEventListener('abort', check);
        then();
      };
      this.waiters.add(check);
      signal.addEventListener('abort', check);
      check();
    });
  }

  private wakeAll(): void {
    for (const wake of [...this.waiters]) wake();
  }
}

function cancelled(): ParleyError {
  return new ParleyError('FILE_CANCELLED', 'The file transfer was cancelled.');
}
