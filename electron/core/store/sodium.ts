/**
 * The libsodium instance the store uses for key wrapping. It is passed in (CONVENTIONS: no module
 * singletons); `loadSodium` is how a caller without one gets it. Sumo is needed for `crypto_pwhash`.
 */
import sodiumModule from 'libsodium-wrappers-sumo';

export type Sodium = typeof sodiumModule;

export async function loadSodium(): Promise<Sodium> {
  await sodiumModule.ready;
  return sodiumModule;
}
