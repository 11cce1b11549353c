/**
 * Streaming attachment decryption: a Transform from the blob of attachment-format.ts back to the
 * file (AttachmentOpener). It fails on more bytes than expected as soon as they arrive, on any
 * chunk that does not authenticate and, at the end, on a missing final chunk, a wrong size or,
 * when one is given, a wrong blob hash. Plaintext is released chunk by chunk, so write it to a
 * temporary file and keep that only if the stream finishes without error.
 */
import { createHash, type Hash } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';
import { AttachmentOpener, corrupt } from './attachment-opener';
import type { AttachmentKey } from './keys';
import type { Sodium } from './sodium';

export interface AttachmentExpectation {
  readonly key: AttachmentKey;
  /**
   * SHA-256 of the blob, from the attachment pointer; null where the caller checks it itself
   * (a download hashes the blob as it arrives). Every chunk is authenticated either way.
   */
  readonly ciphertextHash: Uint8Array | null;
  /** Plaintext size, from the attachment pointer. */
  readonly plaintextSize: number;
}

export class AttachmentDecryptor extends Transform {
  private readonly sodium: Sodium;
  private readonly opener: AttachmentOpener;
  private readonly expectedHash: Uint8Array | null;
  private readonly hash: Hash | null;

  constructor(sodium: Sodium, expected: AttachmentExpectation) {
    super();
    this.sodium = sodium;
    this.opener = new AttachmentOpener(sodium, expected.key, expected.plaintextSize);
    this.expectedHash = expected.ciphertextHash;
    this.hash = expected.ciphertextHash ? createHash('sha256') : null;
  }

  override _transform(
    chunk: Buffer | Uint8Array,
    _encoding: BufferEncoding,
    callback: TransformCallback,
  ): void {
    const out: Uint8Array[] = [];
    try {
      this.opener.update(chunk, (bytes) => out.push(Buffer.from(bytes)));
      this.hash?.update(chunk);
    } catch (error) {
      callback(error as Error);
      return;
    }
    for (const bytes of out) this.push(bytes);
    callback();
  }

  override _flush(callback: TransformCallback): void {
    const out: Uint8Array[] = [];
    try {
      this.opener.finish((bytes) => out.push(Buffer.from(bytes)));
      if (this.hash && this.expectedHash) {
        const hash = new Uint8Array(this.hash.digest());
        if (this.expectedHash.length !== hash.length || !this.sodium.memcmp(hash, this.expectedHash)) {
          throw corrupt('The file does not match the fingerprint its sender gave.');
        }
      }
    } catch (error) {
      callback(error as Error);
      return;
    }
    for (const bytes of out) this.push(bytes);
    callback();
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    this.opener.destroy();
    callback(error);
  }
}
