/**
 * Hands a file to the core piece by piece (file.chunk), read with Blob.slice so that only a few
 * pieces are in memory whatever the size. Pieces go in order; a few are on their way at once
 * (the core takes them in the order they arrive, and both transports keep that order), so that
 * reading, the bridge and the core's encryption overlap instead of waiting on each other.
 */
import type { ErrorInfo } from '../../../shared/errors';
import type { Result } from '../../../shared/result';

/** Pieces on their way at once: 3 x 256 KiB keeps the bridge busy and the memory small. */
export const PIECES_IN_FLIGHT = 3;

export interface HandOverOptions {
  /** Largest piece, in bytes (file.rules maxChunkBytes). */
  readonly chunkBytes: number;
  /** Aborted when the person cancels; the hand-over stops before the next piece. */
  readonly signal: AbortSignal;
  /** Sends one piece: its offset and bytes. */
  readonly send: (offset: number, data: Uint8Array) => Promise<Result<{ received: number }>>;
  /** Called after each piece the core took, with the bytes handed over so far. */
  readonly onHandedOver?: (bytes: number) => void;
  readonly piecesInFlight?: number;
}

export const CANCELLED: ErrorInfo = { code: 'FILE_CANCELLED', message: 'Sending this file was cancelled.' };

const UNREADABLE: ErrorInfo = {
  code: 'FILE_UNREADABLE',
  message:
    "Couldn't read this file: it was moved, changed or deleted while it was being sent. Send it again.",
};

const LOST_PLACE: ErrorInfo = {
  code: 'INTERNAL',
  message: 'Parley lost its place while sending this file. Send it again.',
};

interface Piece {
  readonly end: number;
  readonly sent: Promise<Result<{ received: number }>>;
}

export async function handOver(file: Blob, options: HandOverOptions): Promise<Result<null>> {
  const { chunkBytes, signal, send } = options;
  const window = Math.max(1, options.piecesInFlight ?? PIECES_IN_FLIGHT);
  if (!(chunkBytes > 0)) throw new RangeError('chunkBytes must be positive');
  const read = async (start: number, end: number): Promise<Uint8Array> => {
    const bytes = new Uint8Array(await file.slice(start, end).arrayBuffer());
    // A file that shrank on disk reads short: better to stop than to send a different file.
    if (bytes.length !== end - start) throw new Error('short read');
    return bytes;
  };
  const pieces: Piece[] = [];
  // Stopping waits for the pieces already on their way, so that nothing of this file is still
  // arriving at the core when the caller acts on the outcome (file.cancel, say).
  const stop = async (error: ErrorInfo): Promise<Result<null>> => {
    await Promise.allSettled(pieces.map((p) => p.sent));
    return { ok: false, error: signal.aborted ? CANCELLED : error };
  };
  let readTo = 0;
  let done = 0;
  while (done < file.size) {
    while (pieces.length < window && readTo < file.size) {
      if (signal.aborted) return stop(CANCELLED);
      const start = readTo;
      const end = Math.min(start + chunkBytes, file.size);
      let data: Uint8Array;
      try {
        data = await read(start, end);
      } catch {
        return stop(UNREADABLE);
      }
      if (signal.aborted) return stop(CANCELLED);
      pieces.push({ end, sent: send(start, data) });
      readTo = end;
    }
    const piece = pieces.shift()!;
    const result = await piece.sent;
    if (!result.ok) return stop(result.error);
    if (result.value.received !== piece.end) return stop(LOST_PLACE);
    done = piece.end;
    options.onHandedOver?.(done);
  }
  return signal.aborted ? { ok: false, error: CANCELLED } : { ok: true, value: null };
}
