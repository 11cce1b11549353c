/**
 * libsodium's own exports inside the WebAssembly module that libsodium-wrappers exposes as
 * `libsodium`. The wrapper copies every argument into freshly allocated WebAssembly memory and
 * every result out again; on the Double Ratchet's per-message path that costs as much as the
 * cryptography, so chain-kdf.ts and message-aead.ts call these directly on buffers they own.
 * Anything missing here makes them fall back to the ordinary wrapper calls.
 */
import type { Sodium } from './sodium';

export interface SodiumModule {
  readonly HEAPU8: Uint8Array;
  _malloc(size: number): number;
  _free(address: number): void;
  _crypto_auth_hmacsha256_statebytes(): number;
  _crypto_auth_hmacsha256_init(state: number, key: number, keyLength: number): number;
  _crypto_auth_hmacsha256_update(state: number, input: number, lengthLow: number, lengthHigh: number): number;
  _crypto_auth_hmacsha256_final(state: number, out: number): number;
  // Lengths are 64-bit in C; WebAssembly without BigInt integration passes each as low and high halves.
  _crypto_aead_xchacha20poly1305_ietf_encrypt(
    ciphertext: number,
    ciphertextLengthOut: number,
    message: number,
    messageLengthLow: number,
    messageLengthHigh: number,
    ad: number,
    adLengthLow: number,
    adLengthHigh: number,
    secretNonce: number,
    nonce: number,
    key: number,
  ): number;
  _crypto_aead_xchacha20poly1305_ietf_decrypt(
    message: number,
    messageLengthOut: number,
    secretNonce: number,
    ciphertext: number,
    ciphertextLengthLow: number,
    ciphertextLengthHigh: number,
    ad: number,
    adLengthLow: number,
    adLengthHigh: number,
    nonce: number,
    key: number,
  ): number;
  _crypto_secretstream_xchacha20poly1305_push(
    state: number,
    ciphertext: number,
    ciphertextLengthOut: number,
    message: number,
    messageLengthLow: number,
    messageLengthHigh: number,
    ad: number,
    adLengthLow: number,
    adLengthHigh: number,
    tag: number,
  ): number;
  _crypto_secretstream_xchacha20poly1305_pull(
    state: number,
    message: number,
    messageLengthOut: number,
    tagOut: number,
    ciphertext: number,
    ciphertextLengthLow: number,
    ciphertextLengthHigh: number,
    ad: number,
    adLengthLow: number,
    adLengthHigh: number,
  ): number;
}

const REQUIRED: readonly (keyof SodiumModule)[] = [
  '_malloc',
  '_free',
  '_crypto_auth_hmacsha256_statebytes',
  '_crypto_auth_hmacsha256_init',
  '_crypto_auth_hmacsha256_update',
  '_crypto_auth_hmacsha256_final',
  '_crypto_aead_xchacha20poly1305_ietf_encrypt',
  '_crypto_aead_xchacha20poly1305_ietf_decrypt',
  '_crypto_secretstream_xchacha20poly1305_push',
  '_crypto_secretstream_xchacha20poly1305_pull',
];

/** The module, if this libsodium build exposes everything we call; else undefined. */
export function sodiumModule(sodium: Sodium): SodiumModule | undefined {
  const raw = (sodium as unknown as { libsodium?: Record<string, unknown> }).libsodium;
  if (!raw || !(raw.HEAPU8 instanceof Uint8Array)) return undefined;
  for (const name of REQUIRED) if (typeof raw[name] !== 'function') return undefined;
  return raw as unknown as SodiumModule;
}
