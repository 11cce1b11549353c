/**
 * The passphrase KDF's worker thread: one Argon2id derivation (libsodium crypto_pwhash, RFC
 * 9106) per worker, off the main thread, so an unlock does not stall the app for the ~0.8 s it
 * takes, and the 256 MiB it needs (MODERATE) are given back when the worker ends instead of
 * staying in the main thread's WebAssembly memory. The core worker's script starts it
 * (workers/core-worker.ts); passphrase-kdf.ts spawns it.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { toErrorInfo } from '../../../../shared/errors';
import { loadSodium } from '../sodium';

export const KDF_WORKER_ROLE = 'parley-kdf-worker';

export interface KdfRequest {
  /** The passphrase's bytes (NFC, UTF-8): transferred, and wiped here once used. */
  readonly passphrase: Uint8Array;
  readonly salt: Uint8Array;
  readonly opsLimit: number;
  readonly memLimit: number;
  readonly keyBytes: number;
}

export type KdfReply =
  | { readonly key: Uint8Array }
  | { readonly error: { readonly code: string; readonly message: string } };

/** Runs the worker when this thread was started as one; false on any other thread. */
export function startIfKdfWorker(): boolean {
  const data = workerData as { role?: string } | null;
  if (!parentPort || data?.role !== KDF_WORKER_ROLE) return false;
  const port = parentPort;
  port.once('message', (request: KdfRequest) => {
    void loadSodium().then((sodium) => {
      try {
        const key = sodium.crypto_pwhash(
          request.keyBytes,
          request.passphrase,
          request.salt,
          request.opsLimit,
          request.memLimit,
          sodium.crypto_pwhash_ALG_ARGON2ID13,
        );
        port.postMessage({ key } satisfies KdfReply, [key.buffer as ArrayBuffer]);
      } catch (error) {
        const { code, message } = toErrorInfo(error);
        port.postMessage({ error: { code, message } } satisfies KdfReply);
      } finally {
        sodium.memzero(request.passphrase);
      }
    });
  });
  return true;
}
