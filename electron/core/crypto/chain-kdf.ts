/**
 * KDF_CK's two HMAC-SHA256 computations share one key (the chain key), so they can share its key
 * schedule: HMAC's keyed inner and outer states are computed once (crypto_auth_hmacsha256_init)
 * and copied, saving two of the eight SHA-256 compressions per message. The wrapper has no call
 * for copying an HMAC state, so this calls libsodium's exports directly (sodium-module.ts) on a
 * small buffer allocated once per libsodium instance, falling back to two ordinary
 * crypto_auth_hmacsha256 calls. Same HMACs either way (chain-kdf.test.ts checks).
 */
import type { Sodium } from './sodium';
import { sodiumModule } from './sodium-module';

/** HMAC-SHA256(key, [a]) and HMAC-SHA256(key, [b]) for a 32-byte key. */
export type HmacPair = (key: Uint8Array, a: number, b: number) => readonly [Uint8Array, Uint8Array];

const KEY_BYTES = 32;
const MAC_BYTES = 32;
const pairs = new WeakMap<Sodium, HmacPair>();

/** The fastest HmacPair for this libsodium instance (made once per instance). */
export function hmacPairFor(sodium: Sodium): HmacPair {
  let pair = pairs.get(sodium);
  if (!pair) {
    pair = directHmacPair(sodium) ?? wrapperHmacPair(sodium);
    pairs.set(sodium, pair);
  }
  return pair;
}

/** Two independent HMACs through the wrapper. */
export function wrapperHmacPair(sodium: Sodium): HmacPair {
  return (key, a, b) => [
    sodium.crypto_auth_hmacsha256(Uint8Array.of(a), key),
    sodium.crypto_auth_hmacsha256(Uint8Array.of(b), key),
  ];
}

/** One key schedule, two HMACs, through libsodium's exports; undefined if they are not there. */
export function directHmacPair(sodium: Sodium): HmacPair | undefined {
  const lib = sodiumModule(sodium);
  if (!lib) return undefined;
  const stateBytes = lib._crypto_auth_hmacsha256_statebytes();
  // Layout: state A, state B, key, output, one input byte.
  const size = 2 * stateBytes + KEY_BYTES + MAC_BYTES + 1;
  const base = lib._malloc(size);
  if (base === 0) return undefined;
  const stateA = base;
  const stateB = base + stateBytes;
  const keyAt = stateB + stateBytes;
  const outAt = keyAt + KEY_BYTES;
  const inAt = outAt + MAC_BYTES;
  return (key, a, b) => {
    // Read HEAPU8 on each call: the view is replaced whenever the WebAssembly memory grows.
    const heap = lib.HEAPU8;
    try {
      heap.set(key, keyAt);
      lib._crypto_auth_hmacsha256_init(stateA, keyAt, key.length);
      heap.copyWithin(stateB, stateA, stateA + stateBytes);
      heap[inAt] = a;
      lib._crypto_auth_hmacsha256_update(stateA, inAt, 1, 0);
      lib._crypto_auth_hmacsha256_final(stateA, outAt);
      const first = heap.slice(outAt, outAt + MAC_BYTES);
      heap[inAt] = b;
      lib._crypto_auth_hmacsha256_update(stateB, inAt, 1, 0);
      lib._crypto_auth_hmacsha256_final(stateB, outAt);
      const second = heap.slice(outAt, outAt + MAC_BYTES);
      return [first, second];
    } finally {
      heap.fill(0, base, base + size);
    }
  };
}
