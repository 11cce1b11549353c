/**
 * Streaming attachment encryption (DESIGN.md, Storage: Attachments): a Transform that turns a
 * file into the blob of attachment-format.ts under a fresh key, with
 * crypto_secretstream_xchacha20poly1305 in 64 KiB chunks. Memory stays at about two chunks
 * whatever the file size. After the stream ends, result() gives the key, the SHA-256 of the
 * blob (node:crypto's, the blob's integrity check for upload and download) and the sizes.
 */
import { createHash, type Hash } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';
import { ParleyError } from '../../../shared/errors';
import { ATTACHMENT_CHUNK_BYTES, ATTACHMENT_FORMAT_VERSION } from './attachment-format';
import { type AttachmentKey, asAttachmentKey, wipe } from './keys';
import { type SecretstreamChunks, secretstreamChunksFor } from './secretstream-chunks';
import { releaseSecretstreamState } from './secretstream-state';
import type { Sodium } from './sodium';

export interface EncryptedAttachment {
  readonly key: AttachmentKey;
  /** SHA-256 of the whole blob. */
  readonly ciphertextHash: Uint8Array;
  readonly ciphertextSize: number;
  readonly plaintextSize: number;
}

export class AttachmentEncryptor extends Transform {
  readonly key: AttachmentKey;
  private readonly sodium: Sodium;
  private readonly chunks: SecretstreamChunks;
  /** The secretstream state's address in WebAssembly memory (the wrapper's typings say otherwise). */
  private state: number | null;
  private readonly hash: Hash = createHash('sha256');
  /** Bytes of the chunk being filled. */
  private readonly staging = new Uint8Array(ATTACHMENT_CHUNK_BYTES);
  private staged = 0;
  /** A full chunk held back until we know whether it is the last one (it then gets TAG_FINAL). */
  private held: Uint8Array | null = null;
  private plaintextSize = 0;
  private ciphertextSize = 0;
  private done: EncryptedAttachment | null = null;

  /** `key` is for tests and re-encryption; by default every file gets a fresh random key. */
  constructor(sodium: Sodium, options: { readonly key?: AttachmentKey } = {}) {
    super();
    this.sodium = sodium;
    this.key = options.key ?? asAttachmentKey(sodium.crypto_secretstream_xchacha20poly1305_keygen());
    const { state, header } = sodium.crypto_secretstream_xchacha20poly1305_init_push(this.key);
    this.state = state as unknown as number;
    this.chunks = secretstreamChunksFor(sodium);
    const prefix = new Uint8Array(1 + header.length);
    prefix[0] = ATTACHMENT_FORMAT_VERSION;
    prefix.set(header, 1);
    this.output(prefix);
  }

  /** The key, blob hash and sizes; available once the stream has finished. */
  result(): EncryptedAttachment {
    if (!this.done) throw new ParleyError('INTERNAL', 'The file is still being encrypted.');
    return this.done;
  }

  override _transform(
    chunk: Buffer | Uint8Array,
    _encoding: BufferEncoding,
    callback: TransformCallback,
  ): void {
    try {
      this.plaintextSize += chunk.length;
      let offset = 0;
      while (offset < chunk.length) {
        if (this.staged === 0 && chunk.length - offset >= ATTACHMENT_CHUNK_BYTES) {
          // A whole chunk in place: no copy.
          this.hold(chunk.subarray(offset, offset + ATTACHMENT_CHUNK_BYTES));
          offset += ATTACHMENT_CHUNK_BYTES;
          continue;
        }
        const take = Math.min(ATTACHMENT_CHUNK_BYTES - this.staged, chunk.length - offset);
        this.releaseHeld();
        this.staging.set(chunk.subarray(offset, offset + take), this.staged);
        this.staged += take;
        offset += take;
        if (this.staged === ATTACHMENT_CHUNK_BYTES) {
          this.hold(this.staging.slice());
          this.staged = 0;
        }
      }
      callback();
    } catch (error) {
      callback(error as Error);
    }
  }

  override _flush(callback: TransformCallback): void {
    try {
      const { TAG_FINAL } = tags(this.sodium);
      if (this.staged > 0) {
        this.releaseHeld();
        this.seal(this.staging.subarray(0, this.staged), TAG_FINAL);
      } else if (this.held) {
        this.seal(this.held, TAG_FINAL);
        this.held = null;
      } else {
        this.seal(new Uint8Array(0), TAG_FINAL); // an empty file still ends with TAG_FINAL
      }
      this.done = {
        key: this.key,
        ciphertextHash: new Uint8Array(this.hash.digest()),
        ciphertextSize: this.ciphertextSize,
        plaintextSize: this.plaintextSize,
      };
      this.finishState();
      callback();
    } catch (error) {
      callback(error as Error);
    }
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    this.finishState();
    wipe(this.sodium, this.staging);
    // The key of a file that never finished encrypting is of no use to anyone.
    if (!this.done) wipe(this.sodium, this.key);
    callback(error);
  }

  /** Makes `chunk` the held-back chunk, sealing the previous one as an ordinary chunk. */
  private hold(chunk: Uint8Array): void {
    this.releaseHeld();
    this.held = chunk;
  }

  private releaseHeld(): void {
    if (!this.held) return;
    this.seal(this.held, tags(this.sodium).TAG_MESSAGE);
    this.held = null;
  }

  private seal(chunk: Uint8Array, tag: number): void {
    if (!this.state) throw new ParleyError('INTERNAL', 'The file encryption has already finished.');
    this.output(this.chunks.push(this.state, chunk, tag));
  }

  private output(bytes: Uint8Array): void {
    this.hash.update(bytes);
    this.ciphertextSize += bytes.length;
    this.push(bytes);
  }

  private finishState(): void {
    if (this.state !== null) releaseSecretstreamState(this.sodium, this.state);
    this.state = null;
    this.chunks.wipe();
  }
}

function tags(sodium: Sodium): { readonly TAG_MESSAGE: number; readonly TAG_FINAL: number } {
  return {
    TAG_MESSAGE: sodium.crypto_secretstream_xchacha20poly1305_TAG_MESSAGE,
    TAG_FINAL: sodium.crypto_secretstream_xchacha20poly1305_TAG_FINAL,
  };
}
