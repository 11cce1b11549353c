/**
 * The attachment blob of attachment-format.ts opened piece by piece, without streams: the engine
 * behind AttachmentDecryptor (a Transform) and the attachment worker. It refuses more bytes than
 * the expected size as soon as they arrive, fails on any chunk that does not authenticate
 * (altered, reordered, swapped in from elsewhere) and, at finish(), on a missing final chunk or a
 * wrong size. The blob hash is the caller's to check. Plaintext is released chunk by chunk: write
 * it to a temporary file and keep that only if finish() succeeds.
 */
import { ParleyError } from '../../../shared/errors';
import {
  ATTACHMENT_FORMAT_VERSION,
  ATTACHMENT_FRAME_BYTES,
  ATTACHMENT_PREFIX_BYTES,
  attachmentCiphertextSize,
  SECRETSTREAM_ABYTES,
} from './attachment-format';
import type { ByteSink } from './byte-sink';
import type { AttachmentKey } from './keys';
import { type SecretstreamChunks, secretstreamChunksFor } from './secretstream-chunks';
import { releaseSecretstreamState } from './secretstream-state';
import type { Sodium } from './sodium';

export class AttachmentOpener {
  private readonly sodium: Sodium;
  private readonly key: AttachmentKey;
  private readonly expectedSize: number;
  private readonly chunks: SecretstreamChunks;
  /** The secretstream state's address in WebAssembly memory (the wrapper's typings say otherwise). */
  private state: number | null = null;
  /** The prefix, then each frame, is gathered here before it is opened. */
  private readonly frame = new Uint8Array(ATTACHMENT_FRAME_BYTES);
  private framed = 0;
  private received = 0;
  private started = false;
  private finished = false;

  /** `plaintextSize` comes from the attachment pointer; the key is used, not copied. */
  constructor(sodium: Sodium, key: AttachmentKey, plaintextSize: number) {
    if (!Number.isSafeInteger(plaintextSize) || plaintextSize < 0) {
      throw new ParleyError('INVALID_ARGUMENT', 'The expected file size is not valid.');
    }
    this.sodium = sodium;
    this.key = key;
    this.chunks = secretstreamChunksFor(sodium);
    this.expectedSize = attachmentCiphertextSize(plaintextSize);
  }

  /** Takes the next piece of the blob; gives the plaintext it opened to `out`. */
  update(piece: Uint8Array, out: ByteSink): void {
    this.received += piece.length;
    if (this.received > this.expectedSize) throw corrupt('The file is larger than its sender said.');
    let offset = 0;
    while (offset < piece.length) {
      const want = (this.started ? ATTACHMENT_FRAME_BYTES : ATTACHMENT_PREFIX_BYTES) - this.framed;
      const take = Math.min(want, piece.length - offset);
      this.frame.set(piece.subarray(offset, offset + take), this.framed);
      this.framed += take;
      offset += take;
      if (take === want) {
        if (this.started) this.open(out);
        else this.start();
        this.framed = 0;
      }
    }
  }

  /** The blob ended: gives the rest of the plaintext to `out`, or throws if it was cut short. */
  finish(out: ByteSink): void {
    if (this.received < this.expectedSize) {
      throw new ParleyError(
        'CRYPTO_STREAM_TRUNCATED',
        'The file ended early: it was cut short. Download it again.',
      );
    }
    if (this.framed > 0) {
      if (!this.started || this.framed < SECRETSTREAM_ABYTES)
        throw corrupt('The file ends in a broken chunk.');
      this.open(out);
    }
    if (!this.finished) {
      throw new ParleyError(
        'CRYPTO_STREAM_TRUNCATED',
        'The file ended before its last chunk. Download it again.',
      );
    }
  }

  /** Clears the frame buffer and the stream state. */
  destroy(): void {
    this.release();
    this.sodium.memzero(this.frame);
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
        this.key,
      );
      this.state = state as unknown as number;
    } catch (cause) {
      throw corrupt('The file key or header is not valid.', cause);
    }
  }

  /** Opens the `framed` bytes in `frame` as the next chunk. */
  private open(out: ByteSink): void {
    if (this.finished) throw corrupt('The file continues after its last chunk.');
    if (!this.state) throw corrupt('The file has no header.');
    const result = this.chunks.pullView(this.state, this.frame.subarray(0, this.framed));
    if (!result) throw corrupt('A chunk of the file was altered, reordered or replaced.');
    const final = result.tag === this.sodium.crypto_secretstream_xchacha20poly1305_TAG_FINAL;
    if (!final && result.tag !== this.sodium.crypto_secretstream_xchacha20poly1305_TAG_MESSAGE) {
      throw corrupt('A chunk of the file has an unexpected tag.');
    }
    // Before release(): the message may be a view of the buffer it wipes.
    if (result.message.length > 0) out(result.message);
    if (final) {
      this.finished = true;
      this.release();
    }
  }

  private release(): void {
    if (this.state !== null) releaseSecretstreamState(this.sodium, this.state);
    this.state = null;
    this.chunks.wipe();
  }
}

/** A blob that fails to decrypt: CRYPTO_STREAM_CORRUPT with what was wrong. */
export function corrupt(detail: string, cause?: unknown): ParleyError {
  return new ParleyError('CRYPTO_STREAM_CORRUPT', `${detail} The file was not saved; download it again.`, {
    cause,
  });
}
