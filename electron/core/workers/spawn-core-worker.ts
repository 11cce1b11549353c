/**
 * Starts one of the core's worker threads (the attachment worker, the passphrase KDF) from the
 * core worker's script (core-worker-script.ts): its role travels in `workerData`. From sources
 * (tests, benchmarks, development) the script is TypeScript, loaded through tsx.
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

export function spawnCoreWorker(script: string, workerData: { readonly role: string }): Worker {
  if (script.endsWith('.ts')) {
    const tsx = createRequire(script).resolve('tsx/cjs/api');
    const code = [`require(${JSON.stringify(tsx)}).register();`, `require(${JSON.stringify(script)});`].join(
      '\n',
    );
    return new Worker(code, { eval: true, workerData });
  }
  return new Worker(script, { workerData });
}
