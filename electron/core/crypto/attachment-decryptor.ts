/**
 * Streaming attachment decryption: a Transform from the blob of attachment-format.ts back to the
 * file. It refuses more bytes than the expected size as soon as they arrive, fails on any chunk
 * that does not authenticate (altered, reordered, swapped in from elsewhere) and, at the end, on
 * a missing final chunk, a wrong size or a wrong blob hash. Plaintext is released chunk by
 * chunk, so write it to a temporary file and keep that only if the stream finishes without error.
 */
import { createHash, type Hash } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';
import { ParleyError } from '../../../shared/errors';
import {
  ATTACHMENT_FORMAT_VERSION,
  ATTACHMENT_FRAME_BYTES,
  ATTACHMENT_PREFIX_BYTES,
  attachmentCiphertextSize,
  SECRETSTREAM_ABYTES,
} from './attachment-format';
import type { AttachmentKey } from './keys';
import { type SecretstreamChunks, secretstreamChunksFor } from './secretstream-chunks';
import { releaseSecretstreamState } from './secretstream-state';
import type { Sodium } from './sodium';

export interface AttachmentExpectation {
  readonly key: AttachmentKey;
  /** SHA-256 of the blob, from the attachment pointer. */
  readonly ciphertextHash: Uint8Array;
  /** Plaintext size, from the attachment pointer. */
  readonly plaintextSize: number;
}

export class AttachmentDecryptor extends Transform {
  private readonly sodium: Sodium;
  private readonly expected: AttachmentExpectation;
  private readonly expectedSize: number;
  private readonly hash: Hash = createHash('sha256');
  private readonly chunks: SecretstreamChunks;
  /** The secretstream state's address in WebAssembly memory (the wrapper's typings say otherwise). */
  private state: number | null = null;
  /** The prefix, then each frame, is gathered here before it is opened. */
  private readonly frame = new Uint8Array(ATTACHMENT_FRAME_BYTES);
  private framed = 0;
  private received = 0;
  private started = false;
  private finished = false;

  constructor(sodium: Sodium, expected: AttachmentExpectation) {
    super();
    if (!Number.isSafeInteger(expected.plaintextSize) || expected.plaintextSize < 0) {
      throw new ParleyError('INVALID_ARGUMENT', 'The expected file size is not valid.');
    }
    this.sodium = sodium;
    this.chunks = secretstreamChunksFor(sodium);
    this.expected = expected;
    this.expectedSize = attachmentCiphertextSize(expected.plaintextSize);
  }

  override _transform(
    chunk: Buffer | Uint8Array,
    _encoding: BufferEncoding,
    callback: TransformCallback,
  ): void {
    try {
      this.received += chunk.length;
      if (this.received > this.expectedSize) throw corrupt('The file is larger than its sender said.');
      this.hash.update(chunk);
      let offset = 0;
      while (offset < chunk.length) {
        const want = (this.started ? ATTACHMENT_FRAME_BYTES : ATTACHMENT_PREFIX_BYTES) - this.framed;
        const take = Math.min(want, chunk.length - offset);
        this.frame.set(chunk.subarray(offset, offset + take), this.framed);
        this.framed += take;
        offset += take;
        if (take === want) {
          if (this.started) this.open();
          else this.start();
          this.framed = 0;
        }
      }
      callback();
    } catch (error) {
      callback(error as Error);
    }
  }

  override _flush(callback: TransformCallback): void {
    try {
      if (this.received < this.expectedSize) {
        throw new ParleyError(
          'CRYPTO_STREAM_TRUNCATED',
          'The file ended early: it was cut short. Download it again.',
        );
      }
      if (this.framed > 0) {
        if (!this.started || this.framed < SECRETSTREAM_ABYTES)
          throw corrupt('The file ends in a broken chunk.');
        this.open();
      }
      if (!this.finished) {
        throw new ParleyError(
          'CRYPTO_STREAM_TRUNCATED',
          'The file ended before its last chunk. Download it again.',
        );
      }
      const hash = new Uint8Array(this.hash.digest());
      if (
        this.expected.ciphertextHash.length !== hash.length ||
        !this.sodium.memcmp(hash, this.expected.ciphertextHash)
      ) {
        throw corrupt('The file does not match the fingerprint its sender gave.');
      }
      callback();
    } catch (error) {
      callback(error as Error);
    }
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    this.releaseState();
    this.sodium.memzero(this.frame);
    callback(error);
  }

  /** Reads the version byte and secretstream header gathered in `frame`. */
  private start(): void {
    this.started = true;
    if (this.frame[0] !== ATTACHMENT_FORMAT_VERSION) {
      throw new ParleyError(
        'WIRE_BAD_VERSION',
        'The file is in a format this version of Parley cannot read. Update Parley to open it.',
      );
    }
    try {
      const state = this.sodium.crypto_secretstream_xchacha20poly1305_init_pull(
        this.frame.subarray(1, ATTACHMENT_PREFIX_BYTES),
        this.expected.key,
      );
      this.state = state as unknown as number;
    } catch (cause) {
      throw corrupt('The file key or header is not valid.', cause);
    }
  }

  /** Opens the `framed` bytes in `frame` as the next chunk. */
  private open(): void {
    if (this.finished) throw corrupt('The file continues after its last chunk.');
    if (!this.state) throw corrupt('The file has no header.');
    const result = this.chunks.pull(this.state, this.frame.subarray(0, this.framed));
    if (!result) throw corrupt('A chunk of the file was altered, reordered or replaced.');
    if (result.tag === this.sodium.crypto_secretstream_xchacha20poly1305_TAG_FINAL) {
      this.finished = true;
      this.releaseState();
    } else if (result.tag !== this.sodium.crypto_secretstream_xchacha20poly1305_TAG_MESSAGE) {
      throw corrupt('A chunk of the file has an unexpected tag.');
    }
    if (result.message.length > 0) this.push(result.message);
  }

  private releaseState(): void {
    if (this.state !== null) releaseSecretstreamState(this.sodium, this.state);
    this.state = null;
    this.chunks.wipe();
  }
}

function corrupt(detail: string, cause?: unknown): ParleyError {
  return new ParleyError('CRYPTO_STREAM_CORRUPT', `${detail} The file was not saved; download it again.`, {
    cause,
  });
}
