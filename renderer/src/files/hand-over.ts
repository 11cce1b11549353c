/**
 * Hands a file to the core piece by piece (file.chunk), read with Blob.slice so that at most two
 * pieces are in memory whatever the size: the one on its way and the next, read meanwhile so
 * that the disk and the bridge work at the same time. Pieces go in order, one at a time: the
 * core takes them only in order.
 */
import type { ErrorInfo } from '../../../shared/errors';
import type { Result } from '../../../shared/result';
import { bytesToBase64 } from './base64';

export interface HandOverOptions {
  /** Largest piece, in bytes (file.rules maxChunkBytes). */
  readonly chunkBytes: number;
  /** Aborted when the person cancels; the hand-over stops before the next piece. */
  readonly signal: AbortSignal;
  /** Sends one piece: its offset and base64 bytes. */
  readonly send: (offset: number, data: string) => Promise<Result<{ received: number }>>;
  /** Called after each piece the core took, with the bytes handed over so far. */
  readonly onHandedOver?: (bytes: number) => void;
}

export const CANCELLED: ErrorInfo = { code: 'FILE_CANCELLED', message: 'Sending this file was cancelled.' };

const UNREADABLE: ErrorInfo = {
  code: 'FILE_UNREADABLE',
  message:
    "Couldn't read this file: it was moved, changed or deleted while it was being sent. Send it again.",
};

export async function handOver(file: Blob, options: HandOverOptions): Promise<Result<null>> {
  const { chunkBytes, signal, send } = options;
  if (!(chunkBytes > 0)) throw new RangeError('chunkBytes must be positive');
  const read = async (start: number): Promise<string> => {
    const end = Math.min(start + chunkBytes, file.size);
    const bytes = new Uint8Array(await file.slice(start, end).arrayBuffer());
    // A file that shrank on disk reads short: better to stop than to send a different file.
    if (bytes.length !== end - start) throw new Error('short read');
    return bytesToBase64(bytes);
  };
  let offset = 0;
  let next: Promise<string> | null = file.size > 0 ? read(0) : null;
  while (next) {
    const current = next;
    next = null;
    let data: string;
    try {
      data = await current;
    } catch {
      return { ok: false, error: UNREADABLE };
    }
    if (signal.aborted) return { ok: false, error: CANCELLED };
    const end = Math.min(offset + chunkBytes, file.size);
    if (end < file.size) {
      next = read(end);
      // Awaited on the next turn; until then a failure must not count as unhandled.
      next.catch(() => {});
    }
    const result = await send(offset, data);
    if (!result.ok) return signal.aborted ? { ok: false, error: CANCELLED } : result;
    if (result.value.received !== end) {
      return {
        ok: false,
        error: {
          code: 'INTERNAL',
          message: 'Parley lost its place while sending this file. Send it again.',
        },
      };
    }
    offset = end;
    options.onHandedOver?.(offset);
  }
  return signal.aborted ? { ok: false, error: CANCELLED } : { ok: true, value: null };
}
