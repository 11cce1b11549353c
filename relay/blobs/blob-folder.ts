/**
 * Attachment blobs on disk: one file per blob, named by its random id, in the configured
 * folder (S3-compatible storage for several nodes comes later). Ids are checked before they
 * become paths, so no request can name a file outside the folder.
 */
import { createReadStream, type ReadStream } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { mkdir, open, rm, stat, writeFile } from 'node:fs/promises';
import type { IncomingMessage } from 'node:http';
import { join } from 'node:path';
import { ParleyError } from '../../shared/errors';

const BLOB_ID = /^[A-Za-z0-9_-]{22}$/;

export type ReceiveState = 'complete' | 'exceeded' | 'aborted' | 'failed';

export class BlobFolder {
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
   * limit is written. What was written is flushed to disk before this resolves.
   */
  async receive(
    id: string,
    req: IncomingMessage,
    limit: number,
  ): Promise<{ written: number; state: ReceiveState }> {
    const file = await open(this.path(id), 'a');
    try {
      const result = await receiveInto(req, file, limit);
      await file.sync();
      return result;
    } finally {
      await file.close();
    }
  }

  read(id: string, start: number, end: number): ReadStream {
    return createReadStream(this.path(id), { start, end });
  }

  async delete(id: string): Promise<void> {
    await rm(this.path(id), { force: true });
  }
}

function receiveInto(
  req: IncomingMessage,
  file: FileHandle,
  limit: number,
): Promise<{ written: number; state: ReceiveState }> {
  return new Promise((resolve) => {
    let written = 0;
    let writing: Promise<void> = Promise.resolve();
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
    const onData = (chunk: Buffer) => {
      if (written + chunk.length > limit) {
        req.pause();
        finish('exceeded');
        return;
      }
      written += chunk.length;
      req.pause();
      writing = writing.then(() => file.appendFile(chunk));
      writing.then(
        () => {
          if (!done) req.resume();
        },
        () => finish('failed'),
      );
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
