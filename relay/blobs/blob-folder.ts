/**
 * Attachment blobs on disk: one file per blob, named by its random id, in the configured
 * folder (S3-compatible storage for several nodes comes later). Ids are checked before they
 * become paths, so no request can name a file outside the folder. A blob whose uploader said
 * how many devices will fetch it has a small `<id>.fetches` file beside it counting down the
 * devices still to release it; the last release deletes the blob.
 */
import { mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import { DirectFileWriter } from '@parley/direct-io';
import { ParleyError } from '../../shared/errors';
import { sendFileRange } from './blob-sender';

const BLOB_ID = /^[A-Za-z0-9_-]{22}$/;

export type ReceiveState = 'complete' | 'exceeded' | 'aborted' | 'failed';

export class BlobFolder {
  /** Fetch countdowns in progress, per blob: one at a time, so no fetch is counted twice or lost. */
  private readonly counting = new Map<string, Promise<unknown>>();
  /** Uploads being written, so that shutting down lets them put what arrived on disk. */
  private readonly receiving = new Set<Promise<unknown>>();

  private constructor(private readonly dir: string) {}

  static async open(dir: string): Promise<BlobFolder> {
    await mkdir(dir, { recursive: true, mode: 0o700 });
    return new BlobFolder(dir);
  }

  private path(id: string): string {
    if (!BLOB_ID.test(id)) throw new ParleyError('RELAY_BLOB_NOT_FOUND', 'There is no such attachment.');
    return join(this.dir, id);
  }

  async create(id: string): Promise<void> {
    await writeFile(this.path(id), new Uint8Array(0), { flag: 'wx', mode: 0o600 });
  }

  /** Bytes held, or null when there is no such file. */
  async size(id: string): Promise<number | null> {
    try {
      return (await stat(this.path(id))).size;
    } catch {
      return null;
    }
  }

  /**
   * Appends the request body, at most `limit` bytes, counted as they arrive (Content-Length is
   * not trusted). On 'exceeded' the request is paused and nothing of the chunk that passed the
   * limit is written. What was written is flushed to disk before this resolves. Blobs are written
   * around the page cache where the system allows (each is read back once per recipient, much
   * later than the cache would keep it).
   */
  async receive(
    id: string,
    req: IncomingMessage,
    limit: number,
  ): Promise<{ written: number; state: ReceiveState }> {
    const receiving = (async () => {
      const file = await DirectFileWriter.open(this.path(id), { flags: 'a' });
      try {
        const result = await receiveInto(req, file, limit);
        await file.sync();
        return result;
      } finally {
        await file.close();
      }
    })();
    this.receiving.add(receiving);
    try {
      return await receiving;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'ENOSPC' && code !== 'EDQUOT') throw error;
      throw new ParleyError(
        'UNAVAILABLE',
        'The relay has no room for this file right now; the upload goes on when it has.',
        { cause: error },
      );
    } finally {
      this.receiving.delete(receiving);
    }
  }

  /** Resolves once every upload in progress has put on disk what it received (or failed). */
  async settle(): Promise<void> {
    await Promise.allSettled([...this.receiving]);
  }

  /** Sends bytes [start, end] of the blob as the response body (blob-sender.ts). */
  send(id: string, start: number, end: number, res: ServerResponse): Promise<void> {
    return sendFileRange(this.path(id), start, end, res);
  }

  /** Deletes the blob's bytes and its fetch countdown; a blob that is gone already is fine. */
  async delete(id: string): Promise<void> {
    await rm(this.path(id), { force: true });
    await rm(this.countdownPath(id), { force: true });
  }

  /** Deletes the blob once `devices` releases have been counted (recordFetch). */
  async expectFetches(id: string, devices: number): Promise<void> {
    await writeFile(this.countdownPath(id), String(devices), { mode: 0o600 });
  }

  /**
   * Counts one recipient device done with a blob with a countdown; when it was the last one the
   * blob is deleted and this returns true. Blobs without a countdown wait for their expiry.
   */
  recordFetch(id: string): Promise<boolean> {
    const previous = this.counting.get(id) ?? Promise.resolve();
    const next = previous.catch(() => {}).then(() => this.countDown(id));
    this.counting.set(id, next);
    void next
      .finally(() => {
        if (this.counting.get(id) === next) this.counting.delete(id);
      })
      .catch(() => {});
    return next;
  }

  private async countDown(id: string): Promise<boolean> {
    let left: number;
    try {
      left = Number.parseInt(await readFile(this.countdownPath(id), 'utf8'), 10);
    } catch {
      return false;
    }
    if (!Number.isSafeInteger(left) || left <= 1) {
      await this.delete(id);
      return true;
    }
    await writeFile(this.countdownPath(id), String(left - 1), { mode: 0o600 });
    return false;
  }

  private countdownPath(id: string): string {
    return `${this.path(id)}.fetches`;
  }
}

/** Bytes of an upload read ahead of the disk. */
const QUEUE_BYTES = 1024 * 1024;

function receiveInto(
  req: IncomingMessage,
  file: DirectFileWriter,
  limit: number,
): Promise<{ written: number; state: ReceiveState }> {
  return new Promise((resolve) => {
    let written = 0;
    let queued = 0;
    let writing: Promise<void> = Promise.resolve();
    let flushing = false;
    let pending: Buffer[] = [];
    let done = false;
    const finish = (state: ReceiveState) => {
      if (done) return;
      done = true;
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onAbort);
      req.off('close', onClose);
      writing.then(
        () => resolve({ written, state }),
        () => resolve({ written, state: 'failed' }),
      );
    };
    // What arrives while a write is on its way goes out with the next one.
    const flush = async () => {
      while (pending.length > 0) {
        const batch = pending;
        pending = [];
        let bytes = 0;
        for (const chunk of batch) bytes += chunk.length;
        await file.append(batch);
        queued -= bytes;
        if (!done && queued < QUEUE_BYTES && req.isPaused()) req.resume();
      }
    };
    const onData = (chunk: Buffer) => {
      if (written + chunk.length > limit) {
        req.pause();
        finish('exceeded');
        return;
      }
      written += chunk.length;
      queued += chunk.length;
      // Reading goes on while earlier chunks are written, up to QUEUE_BYTES behind.
      if (queued >= QUEUE_BYTES) req.pause();
      pending.push(chunk);
      if (flushing) return;
      flushing = true;
      writing = flush().then(
        () => {
          flushing = false;
        },
        (error: unknown) => {
          finish('failed');
          throw error;
        },
      );
      writing.catch(() => {});
    };
    const onEnd = () => finish('complete');
    const onAbort = () => finish('aborted');
    const onClose = () => {
      if (!req.complete) finish('aborted');
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onAbort);
    req.on('close', onClose);
  });
}
