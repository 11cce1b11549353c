/**
 * libsodium (sumo build, as the clients use) for Ed25519 verification: loaded once at start-up
 * and passed to whatever needs it, never held in a module variable.
 */
import sodiumModule from 'libsodium-wrappers-sumo';

export type Sodium = typeof sodiumModule;

export async function loadSodium(): Promise<Sodium> {
  await sodiumModule.ready;
  return sodiumModule;
}
