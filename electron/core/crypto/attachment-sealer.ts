/**
 * The attachment blob of attachment-format.ts made piece by piece, without streams: the engine
 * behind AttachmentEncryptor (a Transform) and the attachment worker (a worker thread). Pieces of
 * any size go in; sealed 64 KiB frames come out (the first output is the version byte and the
 * secretstream header). A full chunk is held back until more arrives or the file ends, so the
 * last one carries TAG_FINAL (an empty file still ends with one). The caller hashes the output.
 */
import { ParleyError } from '../../../shared/errors';
import { ATTACHMENT_CHUNK_BYTES, ATTACHMENT_FORMAT_VERSION } from './attachment-format';
import type { ByteSink } from './byte-sink';
import { type AttachmentKey, asAttachmentKey, wipe } from './keys';
import { type SecretstreamChunks, secretstreamChunksFor } from './secretstream-chunks';
import { releaseSecretstreamState } from './secretstream-state';
import type { Sodium } from './sodium';

export class AttachmentSealer {
  readonly key: AttachmentKey;
  private readonly sodium: Sodium;
  private readonly chunks: SecretstreamChunks;
  /** The secretstream state's address in WebAssembly memory (the wrapper's typings say otherwise). */
  private state: number | null;
  private prefix: Uint8Array | null;
  /** Bytes of the chunk being filled. */
  private readonly staging = new Uint8Array(ATTACHMENT_CHUNK_BYTES);
  private staged = 0;
  /** A full chunk held back until we know whether it is the last one (a copy: callers may reuse their pieces). */
  private readonly heldChunk = new Uint8Array(ATTACHMENT_CHUNK_BYTES);
  private held = false;
  private plaintext = 0;
  private ciphertext = 0;
  private finished = false;

  /** `key` is for tests and re-encryption; by default every file gets a fresh random key. */
  constructor(sodium: Sodium, options: { readonly key?: AttachmentKey } = {}) {
    this.sodium = sodium;
    this.key = options.key ?? asAttachmentKey(sodium.crypto_secretstream_xchacha20poly1305_keygen());
    const { state, header } = sodium.crypto_secretstream_xchacha20poly1305_init_push(this.key);
    this.state = state as unknown as number;
    this.chunks = secretstreamChunksFor(sodium);
    this.prefix = new Uint8Array(1 + header.length);
    this.prefix[0] = ATTACHMENT_FORMAT_VERSION;
    this.prefix.set(header, 1);
  }

  get plaintextSize(): number {
    return this.plaintext;
  }

  get ciphertextSize(): number {
    return this.ciphertext;
  }

  /** Takes the next piece of the file; gives what it sealed to `out`. */
  update(piece: Uint8Array, out: ByteSink): void {
    this.emitPrefix(out);
    this.plaintext += piece.length;
    let offset = 0;
    while (offset < piece.length) {
      if (this.staged === 0 && piece.length - offset >= ATTACHMENT_CHUNK_BYTES) {
        this.hold(piece.subarray(offset, offset + ATTACHMENT_CHUNK_BYTES), out);
        offset += ATTACHMENT_CHUNK_BYTES;
        continue;
      }
      const take = Math.min(ATTACHMENT_CHUNK_BYTES - this.staged, piece.length - offset);
      this.releaseHeld(out);
      this.staging.set(piece.subarray(offset, offset + take), this.staged);
      this.staged += take;
      offset += take;
      if (this.staged === ATTACHMENT_CHUNK_BYTES) {
        this.hold(this.staging, out);
        this.staged = 0;
      }
    }
  }

  /** The file ended: gives the last frame (TAG_FINAL) to `out` and lets go of the stream state. */
  finish(out: ByteSink): void {
    this.emitPrefix(out);
    const final = this.sodium.crypto_secretstream_xchacha20poly1305_TAG_FINAL;
    if (this.staged > 0) {
      this.releaseHeld(out);
      this.seal(this.staging.subarray(0, this.staged), final, out);
    } else if (this.held) {
      this.seal(this.heldChunk, final, out);
      this.held = false;
    } else {
      this.seal(new Uint8Array(0), final, out);
    }
    this.finished = true;
    this.release();
  }

  /** Stops: clears the buffers and the stream state; the key too unless the file was finished. */
  destroy(): void {
    this.release();
    wipe(this.sodium, this.staging, this.heldChunk);
    if (!this.finished) wipe(this.sodium, this.key);
  }

  private emitPrefix(out: ByteSink): void {
    if (!this.prefix) return;
    this.ciphertext += this.prefix.length;
    out(this.prefix);
    this.prefix = null;
  }

  private hold(chunk: Uint8Array, out: ByteSink): void {
    this.releaseHeld(out);
    this.heldChunk.set(chunk);
    this.held = true;
  }

  private releaseHeld(out: ByteSink): void {
    if (!this.held) return;
    this.seal(this.heldChunk, this.sodium.crypto_secretstream_xchacha20poly1305_TAG_MESSAGE, out);
    this.held = false;
  }

  private seal(chunk: Uint8Array, tag: number, out: ByteSink): void {
    if (!this.state) throw new ParleyError('INTERNAL', 'The file encryption has already finished.');
    const sealed = this.chunks.pushView(this.state, chunk, tag);
    this.ciphertext += sealed.length;
    out(sealed);
  }

  private release(): void {
    if (this.state !== null) releaseSecretstreamState(this.sodium, this.state);
    this.state = null;
    this.chunks.wipe();
  }
}
