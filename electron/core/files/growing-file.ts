/**
 * An encrypted copy that may still be growing: the uploader reads what is on disk so far and
 * waits for more, so a file is uploaded while the app is still handing it over.
 */
import { ParleyError } from '../../../shared/errors';

export interface GrowingFile {
  readonly path: string;
  /** Bytes on disk so far. */
  written(): number;
  /** All of it is on disk. */
  complete(): boolean;
  /** Resolves once more than `offset` bytes are on disk, or the file is complete; rejects if it failed. */
  grown(offset: number, signal: AbortSignal): Promise<void>;
}

/** A copy that is complete on disk already (an upload resumed after a restart). */
export function completeFile(path: string, size: number): GrowingFile {
  return {
    path,
    written: () => size,
    complete: () => true,
    grown: async () => {},
  };
}

/** Tracks a file's growth for GrowingFile readers, as its writer reports it. */
export class FileGrowth implements GrowingFile {
  private bytes = 0;
  private done = false;
  private failure: Error | null = null;
  private readonly waiters = new Set<() => void>();

  constructor(readonly path: string) {}

  written(): number {
    return this.bytes;
  }

  complete(): boolean {
    return this.done;
  }

  /** The writer put `n` more bytes on disk. */
  add(n: number): void {
    this.bytes += n;
    this.wakeAll();
  }

  /** The writer finished: everything is on disk. */
  finish(): void {
    this.done = true;
    this.wakeAll();
  }

  /** The writer failed: readers waiting for more stop with this error. */
  fail(error: Error): void {
    this.failure ??= error;
    this.wakeAll();
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
