/**
 * Sends bytes [start, end] of a blob file to an HTTP response through a few buffers of its own,
 * each reused once the socket has taken it: a 1 GiB download allocates no memory per piece
 * (fresh buffers cost the relay a collector pass and page faults for every few MiB). Reading
 * runs ahead of the socket by at most the buffers in flight; the response's backpressure holds
 * it there. Resolves when everything was handed to the socket, or the client went away.
 */
import { open } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';

const PIECE_BYTES = 1024 * 1024;
const PIECES = 3;

export async function sendFileRange(
  path: string,
  start: number,
  end: number,
  res: ServerResponse,
): Promise<void> {
  const file = await open(path, 'r');
  const free: Buffer[] = Array.from({ length: PIECES }, () => Buffer.allocUnsafeSlow(PIECE_BYTES));
  let waiting: (() => void) | null = null;
  const wake = () => {
    const resume = waiting;
    waiting = null;
    resume?.();
  };
  res.on('close', wake);
  res.on('drain', wake);
  try {
    let position = start;
    while (position <= end && !res.destroyed) {
      if (free.length === 0 || res.writableNeedDrain) {
        await new Promise<void>((resolve) => {
          waiting = resolve;
        });
        continue;
      }
      const buffer = free.pop()!;
      const length = Math.min(PIECE_BYTES, end - position + 1);
      const { bytesRead } = await file.read(buffer, 0, length, position);
      if (bytesRead === 0) {
        res.destroy(); // shorter than its record says: the client sees the download cut off
        break;
      }
      position += bytesRead;
      res.write(bytesRead === PIECE_BYTES ? buffer : buffer.subarray(0, bytesRead), () => {
        free.push(buffer);
        wake();
      });
    }
    if (!res.destroyed) res.end();
  } catch (error) {
    res.destroy(error as Error);
  } finally {
    res.off('close', wake);
    res.off('drain', wake);
    await file.close();
  }
}
