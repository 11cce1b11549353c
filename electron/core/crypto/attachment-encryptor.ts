/**
 * Streaming attachment encryption (DESIGN.md, Storage: Attachments): a Transform that turns a
 * file into the blob of attachment-format.ts under a fresh key (AttachmentSealer:
 * crypto_secretstream_xchacha20poly1305 in 64 KiB chunks). Memory stays at about two chunks
 * whatever the file size. After the stream ends, result() gives the key, the SHA-256 of the
 * blob (node:crypto's, the blob's integrity check for upload and download) and the sizes.
 */
import { createHash, type Hash } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';
import { ParleyError } from '../../../shared/errors';
import { AttachmentSealer } from './attachment-sealer';
import type { ByteSink } from './byte-sink';
import type { AttachmentKey } from './keys';
import type { Sodium } from './sodium';

export interface EncryptedAttachment {
  readonly key: AttachmentKey;
  /** SHA-256 of the whole blob. */
  readonly ciphertextHash: Uint8Array;
  readonly ciphertextSize: number;
  readonly plaintextSize: number;
}

export class AttachmentEncryptor extends Transform {
  private readonly sealer: AttachmentSealer;
  private readonly hash: Hash = createHash('sha256');
  private done: EncryptedAttachment | null = null;

  /** `key` is for tests and re-encryption; by default every file gets a fresh random key. */
  constructor(sodium: Sodium, options: { readonly key?: AttachmentKey } = {}) {
    super();
    this.sealer = new AttachmentSealer(sodium, options);
  }

  get key(): AttachmentKey {
    return this.sealer.key;
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
    callback(this.step((out) => this.sealer.update(chunk, out)));
  }

  override _flush(callback: TransformCallback): void {
    const error = this.step((out) => this.sealer.finish(out));
    if (!error) {
      this.done = {
        key: this.sealer.key,
        ciphertextHash: new Uint8Array(this.hash.digest()),
        ciphertextSize: this.sealer.ciphertextSize,
        plaintextSize: this.sealer.plaintextSize,
      };
    }
    callback(error);
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    this.sealer.destroy();
    callback(error);
  }

  /** Runs the sealer; hashes and passes on what it sealed. Returns the error, if any. */
  private step(work: (out: ByteSink) => void): Error | null {
    const out: Uint8Array[] = [];
    try {
      work((bytes) => out.push(Buffer.from(bytes)));
    } catch (error) {
      return error as Error;
    }
    for (const bytes of out) {
      this.hash.update(bytes);
      this.push(bytes);
    }
    return null;
  }
}
