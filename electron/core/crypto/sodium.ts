/**
 * The libsodium instance (sumo build: it has HMAC-SHA256 and Argon2id). Loaded once by the caller
 * and passed into every function here, never held in a module variable (CONVENTIONS.md).
 */
import sodiumModule from 'libsodium-wrappers-sumo';

export type Sodium = typeof sodiumModule;

/** Resolves when libsodium's WebAssembly is ready; call once at start-up and pass the result on. */
export async function loadSodium(): Promise<Sodium> {
  await sodiumModule.ready;
  return sodiumModule;
}
