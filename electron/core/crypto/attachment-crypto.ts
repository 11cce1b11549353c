/**
 * Where attachment streams are sealed and opened: in a worker thread (AttachmentWorkerThread,
 * what the app uses) or on the calling thread (inThreadAttachmentCrypto). Either way a stream is
 * a Transform of AttachmentSealer / AttachmentOpener without hashing: the caller hashes the blob
 * where it already passes (uploads, downloads).
 */
import { Transform, type TransformCallback } from 'node:stream';
import { type AttachmentEngine, openingEngine, sealingEngine } from './attachment-engine';
import type { ByteSink } from './byte-sink';
import type { AttachmentKey } from './keys';
import type { Sodium } from './sodium';

export interface AttachmentCrypto {
  /** File in, blob out, under `key` (used, not kept: the caller wipes it). */
  sealing(key: AttachmentKey): Transform;
  /** Blob in, file out; fails (CRYPTO_STREAM_*) on anything not sealed under `key` for that size. */
  opening(key: AttachmentKey, plaintextSize: number): Transform;
  /** Stops the worker, if there is one; streams still running fail. */
  close(): Promise<void>;
}

/** Seals and opens on the calling thread. */
export function inThreadAttachmentCrypto(sodium: Sodium): AttachmentCrypto {
  return {
    sealing: (key) => new EngineTransform(sealingEngine(sodium, key)),
    opening: (key, plaintextSize) => new EngineTransform(openingEngine(sodium, key, plaintextSize)),
    close: async () => {},
  };
}

class EngineTransform extends Transform {
  constructor(private readonly engine: AttachmentEngine) {
    super();
  }

  override _transform(
    chunk: Buffer | Uint8Array,
    _encoding: BufferEncoding,
    callback: TransformCallback,
  ): void {
    this.step(callback, (out) => this.engine.update(chunk, out));
  }

  override _flush(callback: TransformCallback): void {
    this.step(callback, (out) => this.engine.finish(out));
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    this.engine.destroy();
    callback(error);
  }

  private step(callback: TransformCallback, work: (out: ByteSink) => void): void {
    const out: Uint8Array[] = [];
    try {
      work((bytes) => out.push(Buffer.from(bytes)));
    } catch (error) {
      callback(error as Error);
      return;
    }
    for (const bytes of out) this.push(bytes);
    callback();
  }
}
