/**
 * Downloads a blob into the `.part` copy of a received file, checking as it goes that it is no
 * longer than announced and, at the end, that its SHA-256 is the hash inside the encrypted
 * message; only then may it be renamed into place (FILE_DAMAGED otherwise). A `.part` copy left
 * by an interrupted download is resumed with a Range request, its bytes hashed again first.
 * A DownloadTap receives the same bytes in order as they are written (a save that decrypts
 * while the file downloads). The copy is not synced here: the caller makes it durable before it
 * lets the relay delete the blob.
 */
import { createHash, type Hash, timingSafeEqual } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { truncate } from 'node:fs/promises';
import { DirectFileWriter } from '@parley/direct-io';
import { ParleyError } from '../../../shared/errors';
import type { BlobPort } from './blob-port';

const READ_BYTES = 1024 * 1024;

export interface BlobDownloadTarget {
  readonly blobId: string;
  readonly capabilityToken: string;
  readonly partPath: string;
  readonly size: number;
  readonly hash: Uint8Array;
}

/** Takes the blob's bytes in order from its first byte, once each, across resumed attempts. */
export interface DownloadTap {
  /** Bytes taken so far. */
  readonly taken: number;
  /** Takes the next bytes; resolves when it has room for more. */
  take(bytes: Uint8Array): Promise<void>;
}

/** Gives `tap` what it has not taken of `bytes`, which start at blob offset `at`. */
async function feed(tap: DownloadTap | null, at: number, bytes: Uint8Array): Promise<void> {
  if (!tap || at + bytes.length <= tap.taken) return;
  if (at > tap.taken) throw new ParleyError('INTERNAL', 'A download skipped bytes its saver had not taken.');
  await tap.take(bytes.subarray(tap.taken - at));
}

export function damaged(): ParleyError {
  return new ParleyError(
    'FILE_DAMAGED',
    'This file was damaged on its way: it is not what its sender sent, so nothing of it was kept. Ask them to send it again.',
  );
}

/** Resolves when `partPath` holds the whole blob and its hash matches. */
export async function downloadFromBlob(
  relay: BlobPort,
  target: BlobDownloadTarget,
  options: {
    readonly signal: AbortSignal;
    readonly onProgress: (bytes: number) => void;
    readonly tap?: DownloadTap | null;
  },
): Promise<void> {
  const hash = createHash('sha256');
  const tap = options.tap ?? null;
  let have = await hashExisting(target.partPath, target.size, hash, tap);
  options.onProgress(have);
  if (have < target.size) {
    const download = await relay.downloadBlob(target.blobId, target.capabilityToken, have);
    if (download.size !== target.size) throw damaged();
    if (download.start !== have) {
      download.body.destroy();
      throw new ParleyError('UNAVAILABLE', 'The relay did not resume the download where it stopped.');
    }
    const body = download.body;
    const cancel = () => body.destroy();
    options.signal.addEventListener('abort', cancel);
    // Around the page cache where it can: the copy is not read again until the user opens it.
    const file = await DirectFileWriter.open(target.partPath, { flags: 'a' });
    try {
      const chunks = (body as AsyncIterable<Buffer>)[Symbol.asyncIterator]();
      for (;;) {
        let next: IteratorResult<Buffer>;
        try {
          next = await chunks.next();
        } catch (error) {
          options.signal.throwIfAborted();
          throw new ParleyError('RELAY_UNREACHABLE', 'The download was cut off; it will resume.', {
            cause: error,
          });
        }
        if (next.done) break;
        options.signal.throwIfAborted();
        const chunk = next.value;
        if (have + chunk.length > target.size) throw damaged();
        hash.update(chunk);
        await feed(tap, have, chunk);
        have += chunk.length;
        await file.append([chunk]);
        options.onProgress(have);
      }
      options.signal.throwIfAborted();
      await file.close();
      if (have !== target.size) {
        throw new ParleyError('RELAY_UNREACHABLE', 'The download ended early; it will resume.');
      }
    } finally {
      options.signal.removeEventListener('abort', cancel);
      body.destroy();
      // After a failure the last bytes taken may be left out: a resumed download fetches them again.
      await file.abandon();
    }
  }
  const digest = hash.digest();
  if (digest.length !== target.hash.length || !timingSafeEqual(digest, target.hash)) throw damaged();
}

/** Hashes (and taps) what an earlier attempt left in the `.part` copy; returns its length. */
async function hashExisting(
  path: string,
  size: number,
  hash: Hash,
  tap: DownloadTap | null,
): Promise<number> {
  let have = 0;
  try {
    for await (const chunk of createReadStream(path, { highWaterMark: READ_BYTES })) {
      hash.update(chunk as Buffer);
      if (have + (chunk as Buffer).length <= size) await feed(tap, have, chunk as Buffer);
      have += (chunk as Buffer).length;
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 0;
    throw error;
  }
  if (have > size) {
    // Longer than the blob can be: start over rather than trust it.
    await truncate(path, 0);
    throw new ParleyError('UNAVAILABLE', 'The partial download was not valid; it starts again.');
  }
  return have;
}
