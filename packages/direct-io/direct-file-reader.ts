/**
 * Reads a file piece by piece without filling the page cache (O_DIRECT) where the system allows
 * it: the relay sends a blob once to each recipient, and a gigabyte read through the cache costs
 * a page fault per 4 KiB page and evicts what the cache is better used for. Direct reads start on
 * a block boundary, so each piece is read from the block that holds its first byte into an
 * aligned buffer (readBuffers) and handed out as a view. Where O_DIRECT does not exist or is
 * refused, the same reads go through the page cache.
 */
import { constants } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { alignedBuffers, BLOCK } from './aligned-memory';
import { openPair } from './open-direct';

export class DirectFileReader {
  /** Opens `path` for reading (through the page cache when `direct` is false). */
  static async open(path: string, options: { readonly direct?: boolean } = {}): Promise<DirectFileReader> {
    const { plain, direct } = await openPair(path, constants.O_RDONLY, constants.O_RDONLY, {
      tryDirect: options.direct !== false,
    });
    return new DirectFileReader(plain, direct);
  }

  /** `count` buffers for reads of up to `pieceBytes` (a multiple of 4096) each. */
  static readBuffers(count: number, pieceBytes: number): Uint8Array[] {
    // One more block: a piece that starts inside a block is read from that block's start.
    return alignedBuffers(count, pieceBytes + BLOCK);
  }

  private constructor(
    private readonly plain: FileHandle,
    private direct: FileHandle | null,
  ) {}

  /**
   * Reads up to `length` bytes at `position` into `buffer` (one of readBuffers, with room for
   * `length`); returns the bytes read, a view of `buffer`, empty at the end of the file.
   */
  async read(buffer: Uint8Array, position: number, length: number): Promise<Uint8Array> {
    if (length + BLOCK > buffer.length) throw new RangeError('the read does not fit its buffer');
    if (this.direct) {
      const start = position - (position % BLOCK);
      const skew = position - start;
      const span = Math.ceil((skew + length) / BLOCK) * BLOCK;
      try {
        const { bytesRead } = await this.direct.read(buffer, 0, span, start);
        return buffer.subarray(skew, skew + Math.max(0, Math.min(length, bytesRead - skew)));
      } catch (error) {
        // Some filesystems open with O_DIRECT and refuse the reads: go the ordinary way.
        if ((error as NodeJS.ErrnoException).code !== 'EINVAL') throw error;
        const direct = this.direct;
        this.direct = null;
        await direct.close().catch(() => {});
      }
    }
    const { bytesRead } = await this.plain.read(buffer, 0, length, position);
    return buffer.subarray(0, bytesRead);
  }

  async close(): Promise<void> {
    await this.direct?.close().catch(() => {});
    await this.plain.close();
  }
}
