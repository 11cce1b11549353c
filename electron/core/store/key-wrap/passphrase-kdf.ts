/**
 * Argon2id for passphrase wraps (passphrase-wrap.ts), where it runs: in a worker thread of its
 * own per derivation (workerKdf, what the app uses: the main thread stays free and the 256 MiB
 * go with the worker), or on the calling thread (inThreadKdf).
 */
import { isErrorCode, ParleyError } from '../../../../shared/errors';
import { spawnCoreWorker } from '../../workers/spawn-core-worker';
import type { Sodium } from '../sodium';
import { KDF_WORKER_ROLE, type KdfReply, type KdfRequest } from './kdf-worker';
import type { PwhashLimits } from './passphrase-wrap';

/** The `keyBytes`-byte key for `passphrase` (bytes; the caller wipes them) and `salt`. */
export type PassphraseKdf = (
  passphrase: Uint8Array,
  salt: Uint8Array,
  limits: PwhashLimits,
  keyBytes: number,
) => Promise<Uint8Array>;

export function inThreadKdf(sodium: Sodium): PassphraseKdf {
  return async (passphrase, salt, limits, keyBytes) =>
    sodium.crypto_pwhash(
      keyBytes,
      passphrase,
      salt,
      limits.opsLimit,
      limits.memLimit,
      sodium.crypto_pwhash_ALG_ARGON2ID13,
    );
}

/** `script`: the core worker's (workers/core-worker-script.ts). */
export function workerKdf(script: string): PassphraseKdf {
  return (passphrase, salt, limits, keyBytes) =>
    new Promise((resolve, reject) => {
      const worker = spawnCoreWorker(script, { role: KDF_WORKER_ROLE });
      let settled = false;
      const finish = (outcome: () => void) => {
        if (settled) return;
        settled = true;
        void worker.terminate();
        outcome();
      };
      worker.once('message', (reply: KdfReply) =>
        finish(() => {
          if ('key' in reply) resolve(reply.key);
          else {
            const { code, message } = reply.error;
            reject(isErrorCode(code) ? new ParleyError(code, message) : new ParleyError('INTERNAL', message));
          }
        }),
      );
      const failed = (cause: unknown) =>
        finish(() =>
          reject(new ParleyError('INTERNAL', 'Could not check the passphrase. Try again.', { cause })),
        );
      worker.once('error', failed);
      worker.once('exit', (code) => failed(new Error(`the KDF worker exited with ${code}`)));
      const request: KdfRequest = {
        passphrase: Uint8Array.from(passphrase),
        salt: Uint8Array.from(salt),
        opsLimit: limits.opsLimit,
        memLimit: limits.memLimit,
        keyBytes,
      };
      worker.postMessage(request, [request.passphrase.buffer as ArrayBuffer]);
    });
}
