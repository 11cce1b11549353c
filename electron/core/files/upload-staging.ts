/**
 * An outgoing file as the app hands it over in chunks: each chunk is encrypted as it arrives
 * (AttachmentCrypto's sealing stream: secretstream, 64 KiB frames, in the attachment worker),
 * hashed and appended to the file's encrypted copy in the cache; nothing holds the whole file.
 * Chunks must come in order and add up to the size announced. Backpressure reaches the caller:
 * append resolves once the chunk is taken, and the queues between the stages stay small.
 */
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { PassThrough, type Transform, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { DirectFileWriter } from '@parley/direct-io';
import { ParleyError } from '../../../shared/errors';
import {
  type AttachmentCrypto,
  type AttachmentKey,
  asAttachmentKey,
  type EncryptedAttachment,
  type Sodium,
  wipe,
} from '../crypto';
import { FileGrowth, type GrowingFile } from './growing-file';

const QUEUE_BYTES = 512 * 1024;

export class UploadStaging {
  private readonly input = new PassThrough({ highWaterMark: QUEUE_BYTES });
  private readonly sealing: Transform;
  private readonly sink: CopyWriter;
  private readonly growth: FileGrowth;
  private readonly flowing: Promise<void>;
  private failure: Error | null = null;
  private received = 0;
  private queue: Promise<unknown> = Promise.resolve();

  /** Creates the encrypted copy at `path` (which must not exist) for a file of `size` bytes. */
  static async create(
    sodium: Sodium,
    crypto: AttachmentCrypto,
    path: string,
    size: number,
  ): Promise<UploadStaging> {
    const file = await DirectFileWriter.open(path, { flags: 'wx' });
    return new UploadStaging(sodium, crypto, path, size, file);
  }

  /** The file's fresh key (kept in the database; the copy is useless without it). */
  readonly key: AttachmentKey;

  private constructor(
    private readonly sodium: Sodium,
    crypto: AttachmentCrypto,
    path: string,
    readonly size: number,
    file: DirectFileWriter,
  ) {
    this.growth = new FileGrowth(path);
    this.key = asAttachmentKey(sodium.crypto_secretstream_xchacha20poly1305_keygen());
    this.sealing = crypto.sealing(this.key);
    this.sink = new CopyWriter(file, (chunks) => this.growth.add(chunks));
    this.flowing = pipeline(this.input, this.sealing, this.sink).then(
      () => this.growth.finish(),
      (error: Error) => {
        this.failure ??= error;
        this.growth.fail(error);
        throw error;
      },
    );
    this.flowing.catch(() => {}); // observed through append, finish and the growth
  }

  /** What the uploader reads: the encrypted copy as it grows. */
  get file(): GrowingFile {
    return this.growth;
  }

  get bytesReceived(): number {
    return this.received;
  }

  /** Takes the chunk at `offset`; resolves with the bytes received so far. */
  append(offset: number, bytes: Uint8Array): Promise<number> {
    const run = this.queue.then(() => this.take(offset, bytes));
    this.queue = run.catch(() => {});
    return run;
  }

  /** Ends the file once every byte arrived; resolves with its key, hash and sizes. */
  finish(): Promise<EncryptedAttachment> {
    const run = this.queue.then(async () => {
      if (this.received !== this.size) {
        throw new ParleyError(
          'INVALID_ARGUMENT',
          `Only ${this.received} of the ${this.size} bytes announced arrived. Send the file again.`,
        );
      }
      this.input.end();
      await this.flowing;
      return {
        key: this.key,
        ciphertextHash: this.sink.digest(),
        ciphertextSize: this.sink.bytes,
        plaintextSize: this.received,
      };
    });
    this.queue = run.catch(() => {});
    return run;
  }

  /** Stops and closes; the copy on disk is the caller's to remove. */
  async abort(reason: Error): Promise<void> {
    this.failure ??= reason;
    this.input.destroy(reason);
    await this.flowing.catch(() => {});
    wipe(this.sodium, this.key);
  }

  private async take(offset: number, bytes: Uint8Array): Promise<number> {
    if (this.failure) throw this.failure;
    if (offset !== this.received) {
      throw new ParleyError(
        'INVALID_ARGUMENT',
        `The file's parts must come in order: expected the part at byte ${this.received}.`,
      );
    }
    if (this.received + bytes.length > this.size) {
      throw new ParleyError('INVALID_ARGUMENT', 'The file is longer than the size announced. Send it again.');
    }
    this.received += bytes.length;
    if (bytes.length > 0 && !this.input.write(bytes)) {
      await Promise.race([once(this.input, 'drain'), this.flowing]);
    }
    if (this.failure) throw this.failure;
    return this.received;
  }
}

/**
 * Appends to the copy (around the page cache where it can: DirectFileWriter), hashing what it
 * writes (the blob's SHA-256, for the message), reports each write, and makes it durable before
 * it finishes. Reported bytes may not all be in the file yet (at most MAX_UNWRITTEN_BYTES, which
 * FileGrowth keeps in memory for the uploader).
 */
class CopyWriter extends Writable {
  private readonly hash = createHash('sha256');
  bytes = 0;

  constructor(
    private readonly file: DirectFileWriter,
    private readonly onWritten: (chunks: readonly Uint8Array[]) => void,
  ) {
    // Frames gather here while a write is in flight, so the next write takes many at once.
    super({ highWaterMark: 1024 * 1024 });
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.writeAll([chunk]).then(() => callback(), callback);
  }

  override _writev(
    chunks: { chunk: Buffer; encoding: BufferEncoding }[],
    callback: (error?: Error | null) => void,
  ): void {
    this.writeAll(chunks.map((c) => c.chunk)).then(() => callback(), callback);
  }

  override _final(callback: (error?: Error | null) => void): void {
    this.file.sync().then(() => callback(), callback);
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    (error ? this.file.abandon() : this.file.close()).then(
      () => callback(error),
      (closing: Error) => callback(error ?? closing),
    );
  }

  /** SHA-256 of everything written; once, after the last write. */
  digest(): Uint8Array {
    return new Uint8Array(this.hash.digest());
  }

  private async writeAll(chunks: Buffer[]): Promise<void> {
    for (const chunk of chunks) {
      this.hash.update(chunk);
      this.bytes += chunk.length;
    }
    await this.file.append(chunks);
    this.onWritten(chunks);
  }
}
