/**
 * Sends bytes [start, end] of a blob file to an HTTP response through a few buffers of its own,
 * each reused once the socket has taken it: a 1 GiB download allocates no memory per piece
 * (fresh buffers cost the relay a collector pass and page faults for every few MiB). Reading
 * runs ahead of the socket by at most the buffers in flight; the response's backpressure holds
 * it there. Reads go around the page cache where the system allows (DirectFileReader): a blob is
 * read once per recipient. Resolves when everything was handed to the socket, or the client went
 * away.
 */
import type { ServerResponse } from 'node:http';
import { DirectFileReader } from '@parley/direct-io';

const PIECE_BYTES = 1024 * 1024;
const PIECES = 3;

export async function sendFileRange(
  path: string,
  start: number,
  end: number,
  res: ServerResponse,
): Promise<void> {
  const file = await DirectFileReader.open(path);
  const free = DirectFileReader.readBuffers(PIECES, PIECE_BYTES);
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
      const piece = await file.read(buffer, position, length);
      if (piece.length === 0) {
        res.destroy(); // shorter than its record says: the client sees the download cut off
        break;
      }
      position += piece.length;
      res.write(piece, () => {
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
