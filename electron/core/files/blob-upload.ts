/**
 * Uploads an encrypted copy to its relay blob in segments (PATCH at the offset the relay holds),
 * reading the copy from disk as it grows. It starts from what the relay says it holds, so the
 * same call resumes an upload cut off by a lost connection, a relay restart or an app restart.
 * Each segment is a request of its own, whose bytes the relay makes durable before it answers;
 * the first is short and the next ones last about the same time each (segment-sizing.ts).
 */
import { open } from 'node:fs/promises';
import { ParleyError } from '../../../shared/errors';
import type { BlobPort, RelayBlob } from './blob-port';
import type { GrowingFile } from './growing-file';
import { firstSegmentBytes, nextSegmentBytes, type SegmentSizing } from './segment-sizing';

const READ_BYTES = 256 * 1024;

export interface BlobUploadOptions {
  /** How long each PATCH request is. */
  readonly segments: SegmentSizing;
  readonly signal: AbortSignal;
  /** Bytes of the blob read so far and handed to the network (the relay may hold fewer). */
  readonly onSent: (offset: number) => void;
  /** Bytes the relay confirmed holding. */
  readonly onAcknowledged: (offset: number) => void;
}

/** A failure reading the local copy: retrying the network cannot help. */
export class LocalCopyError extends ParleyError {
  constructor(cause: unknown) {
    super('INTERNAL', "The file's encrypted copy on this device could not be read. Send the file again.", {
      cause,
    });
  }
}

/** Resolves when the relay holds the whole blob (`total` bytes of `file`). */
export async function uploadToBlob(
  relay: BlobPort,
  blob: RelayBlob,
  file: GrowingFile,
  total: number,
  options: BlobUploadOptions,
): Promise<void> {
  let status = await relay.blobStatus(blob.id);
  options.onAcknowledged(status.offset);
  let length = firstSegmentBytes(options.segments);
  while (!status.complete) {
    options.signal.throwIfAborted();
    const start = status.offset;
    const end = Math.min(total, start + length);
    const began = performance.now();
    const segment = new AbortController();
    const stop = () => segment.abort(options.signal.reason);
    options.signal.addEventListener('abort', stop);
    const body = readRange(file, start, end, segment.signal, options.onSent);
    try {
      status = await relay.uploadBlob(blob, start, body);
    } finally {
      options.signal.removeEventListener('abort', stop);
      segment.abort();
      await body.return(undefined).catch(() => {});
    }
    if (status.offset <= start && !status.complete && end > start) {
      throw new ParleyError(
        'UNAVAILABLE',
        'The relay took none of the file; the upload will be tried again.',
      );
    }
    options.onAcknowledged(status.offset);
    length = nextSegmentBytes(options.segments, status.offset - start, performance.now() - began);
  }
}

/** Bytes [start, end) of the copy, waiting for the writer where the copy is still shorter. */
async function* readRange(
  file: GrowingFile,
  start: number,
  end: number,
  signal: AbortSignal,
  onRead: (offset: number) => void,
): AsyncGenerator<Uint8Array, void, undefined> {
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    handle = await open(file.path, 'r');
  } catch (error) {
    throw new LocalCopyError(error);
  }
  try {
    let position = start;
    while (position < end) {
      if (signal.aborted) return;
      const available = file.written();
      if (position >= available) {
        if (file.complete()) throw new LocalCopyError(new Error('the copy is shorter than its blob'));
        await file.grown(position, signal);
        continue;
      }
      const kept = file.recent(position, Math.min(end, available));
      if (kept) {
        position += kept.length;
        onRead(position);
        yield kept;
        continue;
      }
      const length = Math.min(READ_BYTES, end - position, available - position);
      const buffer = Buffer.allocUnsafe(length);
      let read: number;
      try {
        ({ bytesRead: read } = await handle.read(buffer, 0, length, position));
      } catch (error) {
        throw new LocalCopyError(error);
      }
      if (read === 0) throw new LocalCopyError(new Error('the copy ended early'));
      position += read;
      onRead(position);
      yield read === length ? buffer : buffer.subarray(0, read);
    }
  } finally {
    await handle.close().catch(() => {});
  }
}
