/**
 * One attachment stream's engine, wherever it runs (the calling thread: attachment-crypto.ts;
 * the attachment worker): the sealer or opener with a copy of the key of its own, wiped with the
 * engine's buffers when the stream ends or stops.
 */
import { AttachmentOpener } from './attachment-opener';
import { AttachmentSealer } from './attachment-sealer';
import type { ByteSink } from './byte-sink';
import { type AttachmentKey, asAttachmentKey, wipe } from './keys';
import type { Sodium } from './sodium';

export interface AttachmentEngine {
  update(piece: Uint8Array, out: ByteSink): void;
  finish(out: ByteSink): void;
  /** Wipes the key copy and the buffers; call it once the stream ended or failed. */
  destroy(): void;
}

/** File in, blob out, under a copy of `key`. */
export function sealingEngine(sodium: Sodium, key: Uint8Array): AttachmentEngine {
  const own = asAttachmentKey(Uint8Array.from(key));
  const sealer = new AttachmentSealer(sodium, { key: own });
  return {
    update: (piece, out) => sealer.update(piece, out),
    finish: (out) => sealer.finish(out),
    destroy: () => {
      sealer.destroy();
      wipe(sodium, own);
    },
  };
}

/** Blob in, file out, under a copy of `key`, for a file of `plaintextSize` bytes. */
export function openingEngine(sodium: Sodium, key: Uint8Array, plaintextSize: number): AttachmentEngine {
  const own = asAttachmentKey(Uint8Array.from(key));
  const opener = new AttachmentOpener(sodium, own as AttachmentKey, plaintextSize);
  return {
    update: (piece, out) => opener.update(piece, out),
    finish: (out) => opener.finish(out),
    destroy: () => {
      opener.destroy();
      wipe(sodium, own);
    },
  };
}
