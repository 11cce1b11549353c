/**
 * Writes a file front to back without passing it through the page cache (O_DIRECT) where the
 * system allows it, for large files written once and not read back soon: attachment copies,
 * saved files, the relay's blobs. A gigabyte written through the cache costs the kernel a page fault and a copy
 * per 4 KiB page (about 3 CPU-seconds on a virtual machine whose free memory goes back to its
 * host) and pushes the user's own files out of the cache; written directly it costs a few
 * hundredths of a second.
 *
 * Direct I/O wants block-aligned memory, offsets and lengths, so bytes are copied into aligned
 * segments and written a whole segment at a time; the last, partial block goes through an
 * ordinary descriptor when the file is flushed. Where O_DIRECT does not exist (macOS, Windows) or
 * the filesystem refuses it, the same segments go through the ordinary descriptor: the bytes are
 * the same either way.
 */
import { constants } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { alignedBuffers, BLOCK } from './aligned-memory';
import { openPair } from './open-direct';

/** Bytes per write; one segment is written while the next one fills. */
const SEGMENT = 1024 * 1024;

/**
 * Bytes appended but possibly not yet in the file at any moment (the segment on its way and the
 * one filling), until flush(): readers of a growing file keep at least this much in memory.
 */
export const MAX_UNWRITTEN_BYTES = 2 * SEGMENT;

export interface DirectFileWriterOptions {
  /** 'wx' creates a new file (failing if it exists); 'a' continues an existing one (or creates it). */
  readonly flags: 'wx' | 'a';
  readonly mode?: number;
  /** false: always through the page cache (for comparison in benchmarks and tests). */
  readonly direct?: boolean;
}

/** One call at a time: each of append, flush, sync and close waits for the one before. */
export class DirectFileWriter {
  private filling: Uint8Array;
  private spare: Uint8Array;
  /** Bytes in `filling`; they belong at `position` on. */
  private fill = 0;
  /** Where `filling` starts in the file (always block-aligned). */
  private position: number;
  private inFlight: Promise<unknown> = Promise.resolve();
  private appended: number;
  private closed = false;

  /** Opens `path` for writing at its end. */
  static async open(path: string, options: DirectFileWriterOptions): Promise<DirectFileWriter> {
    const mode = options.mode ?? 0o600;
    const create = options.flags === 'wx' ? constants.O_CREAT | constants.O_EXCL : constants.O_CREAT;
    // The ordinary descriptor creates the file, so that a refused O_DIRECT leaves nothing behind.
    const { plain, direct } = await openPair(path, constants.O_RDWR | create, constants.O_WRONLY, {
      mode,
      tryDirect: options.direct !== false,
    });
    try {
      const size = (await plain.stat()).size;
      const writer = new DirectFileWriter(plain, direct, size);
      await writer.resumeAt(size);
      return writer;
    } catch (error) {
      await direct?.close();
      await plain.close();
      throw error;
    }
  }

  private constructor(
    private readonly plain: FileHandle,
    private direct: FileHandle | null,
    size: number,
  ) {
    [this.filling, this.spare] = alignedBuffers(2, SEGMENT) as [Uint8Array, Uint8Array];
    this.position = size - (size % BLOCK);
    this.appended = size;
  }

  /** The file's length once everything appended is written. */
  get size(): number {
    return this.appended;
  }

  /**
   * Appends `chunks` (copied: the caller may reuse them once this resolves). Resolves once they
   * are taken, with at most MAX_UNWRITTEN_BYTES of everything appended not yet in the file.
   */
  async append(chunks: readonly Uint8Array[]): Promise<void> {
    this.checkOpen();
    for (const chunk of chunks) {
      let at = 0;
      while (at < chunk.length) {
        const n = Math.min(SEGMENT - this.fill, chunk.length - at);
        this.filling.set(chunk.subarray(at, at + n), this.fill);
        this.fill += n;
        at += n;
        this.appended += n;
        if (this.fill === SEGMENT) await this.sendSegment();
      }
    }
  }

  /** Everything appended is in the file (not necessarily on the disk: see sync). */
  async flush(): Promise<void> {
    this.checkOpen();
    await this.inFlight;
    const aligned = this.fill - (this.fill % BLOCK);
    if (aligned > 0) await this.writeSegment(this.filling, aligned, this.position);
    const tail = this.fill - aligned;
    // The partial last block through the ordinary descriptor; it is kept in `filling`, to be
    // written again as a whole block when more comes.
    if (tail > 0)
      await writeFully(this.plain, this.filling.subarray(aligned, this.fill), this.position + aligned);
    if (aligned > 0) {
      this.filling.copyWithin(0, aligned, this.fill);
      this.position += aligned;
      this.fill = tail;
    }
  }

  /** Everything appended is on the disk (fdatasync; the file's data, whichever way it went). */
  async sync(): Promise<void> {
    await this.flush();
    await this.plain.datasync();
  }

  /** Flushes and closes. */
  async close(): Promise<void> {
    if (this.closed) return;
    try {
      await this.flush();
    } finally {
      await this.release();
    }
  }

  /** Closes without writing what is left (the caller removes or truncates the file). */
  async abandon(): Promise<void> {
    if (this.closed) return;
    await this.inFlight.catch(() => {});
    await this.release();
  }

  private async release(): Promise<void> {
    this.closed = true;
    await this.direct?.close().catch(() => {});
    await this.plain.close();
  }

  /** Continues a file of `size` bytes: its partial last block is read back into `filling`. */
  private async resumeAt(size: number): Promise<void> {
    this.fill = size - this.position;
    if (this.fill === 0) return;
    const { bytesRead } = await this.plain.read(this.filling, 0, this.fill, this.position);
    if (bytesRead !== this.fill) {
      throw ioError('ESTALE', `the file shrank to ${this.position + bytesRead} bytes while it was opened`);
    }
  }

  /** Hands the full `filling` segment to the disk and continues in the other one. */
  private async sendSegment(): Promise<void> {
    await this.inFlight;
    const full = this.filling;
    const writing = this.writeSegment(full, SEGMENT, this.position);
    writing.catch(() => {}); // surfaced by the next await of inFlight
    this.inFlight = writing;
    this.position += SEGMENT;
    this.filling = this.spare;
    this.spare = full;
    this.fill = 0;
  }

  private async writeSegment(segment: Uint8Array, length: number, position: number): Promise<void> {
    const bytes = segment.subarray(0, length);
    if (this.direct) {
      try {
        await writeFully(this.direct, bytes, position);
        return;
      } catch (error) {
        // Some filesystems open with O_DIRECT and refuse the writes: go the ordinary way.
        if ((error as NodeJS.ErrnoException).code !== 'EINVAL') throw error;
        const direct = this.direct;
        this.direct = null;
        await direct.close().catch(() => {});
      }
    }
    await writeFully(this.plain, bytes, position);
  }

  private checkOpen(): void {
    if (this.closed)
      throw ioError('ERR_STREAM_WRITE_AFTER_END', 'a file writer was used after it was closed');
  }
}

/** Writes all of `bytes` at `position` (a regular file may take a write in parts). */
async function writeFully(file: FileHandle, bytes: Uint8Array, position: number): Promise<void> {
  let done = 0;
  while (done < bytes.length) {
    const { bytesWritten } = await file.write(bytes, done, bytes.length - done, position + done);
    if (bytesWritten === 0) throw ioError('ENOSPC', 'the disk took no more bytes');
    done += bytesWritten;
  }
}

/** A file system error as Node words them, with its code, for what this writer detects itself. */
function ioError(code: string, message: string): NodeJS.ErrnoException {
  return Object.assign(new Error(message), { code });
}
