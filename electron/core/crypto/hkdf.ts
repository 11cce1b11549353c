/**
 * HKDF-SHA256 (RFC 5869) composed from libsodium's HMAC-SHA256, which neither libsodium.js build
 * exposes as HKDF (ENVIRONMENT.md). Tested against the RFC's Appendix A vectors.
 */
import type { Sodium } from './sodium';

const HASH_BYTES = 32;

/** RFC 5869 §2.2 HKDF-Extract: PRK = HMAC-Hash(salt, IKM); an empty salt means HashLen zeros. */
export function hkdfExtract(sodium: Sodium, salt: Uint8Array, ikm: Uint8Array): Uint8Array {
  if (salt.length === HASH_BYTES) return sodium.crypto_auth_hmacsha256(ikm, salt);
  // The one-shot call takes only 32-byte keys; the streaming API takes any key length.
  const state = sodium.crypto_auth_hmacsha256_init(salt.length === 0 ? new Uint8Array(HASH_BYTES) : salt);
  sodium.crypto_auth_hmacsha256_update(state, ikm);
  return sodium.crypto_auth_hmacsha256_final(state);
}

/** RFC 5869 §2.3 HKDF-Expand: T(i) = HMAC-Hash(PRK, T(i-1) ‖ info ‖ i), L ≤ 255·HashLen. */
export function hkdfExpand(sodium: Sodium, prk: Uint8Array, info: Uint8Array, length: number): Uint8Array {
  if (!Number.isInteger(length) || length < 0 || length > 255 * HASH_BYTES) {
    throw new RangeError('HKDF output length out of range');
  }
  const okm = new Uint8Array(length);
  const input = new Uint8Array(HASH_BYTES + info.length + 1);
  let previous = 0; // bytes of T(i-1) at the start of `input`
  for (let i = 1, offset = 0; offset < length; i++) {
    input.set(info, previous);
    input[previous + info.length] = i;
    const block = hmac(sodium, prk, input.subarray(0, previous + info.length + 1));
    okm.set(block.subarray(0, Math.min(HASH_BYTES, length - offset)), offset);
    offset += HASH_BYTES;
    input.set(block, 0);
    previous = HASH_BYTES;
    sodium.memzero(block);
  }
  sodium.memzero(input);
  return okm;
}

/** RFC 5869 §2: HKDF(salt, IKM, info, L) = Expand(Extract(salt, IKM), info, L). */
export function hkdfSha256(
  sodium: Sodium,
  ikm: Uint8Array,
  salt: Uint8Array,
  info: Uint8Array,
  length: number,
): Uint8Array {
  const prk = hkdfExtract(sodium, salt, ikm);
  try {
    return hkdfExpand(sodium, prk, info, length);
  } finally {
    sodium.memzero(prk);
  }
}

function hmac(sodium: Sodium, key: Uint8Array, message: Uint8Array): Uint8Array {
  if (key.length === HASH_BYTES) return sodium.crypto_auth_hmacsha256(message, key);
  const state = sodium.crypto_auth_hmacsha256_init(key);
  sodium.crypto_auth_hmacsha256_update(state, message);
  return sodium.crypto_auth_hmacsha256_final(state);
}
