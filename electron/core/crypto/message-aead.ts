/**
 * XChaCha20-Poly1305 (libsodium crypto_aead_xchacha20poly1305_ietf) for ratchet messages, with
 * the associated data given in parts (PQXDH AD, envelope fields, header) so they need not be
 * joined first. The direct path writes key, nonce, AD and message straight into a WebAssembly
 * buffer it owns and calls libsodium there (sodium-module.ts), which saves the wrapper's
 * allocations and copies; it wipes the key and plaintext from that buffer after each call. The
 * fallback joins the parts and calls the wrapper. Same ciphertexts either way.
 */
import type { Sodium } from './sodium';
import { type SodiumModule, sodiumModule } from './sodium-module';

export const AEAD_TAG_BYTES = 16;
const KEY_BYTES = 32;
const NONCE_BYTES = 24;

export interface MessageAead {
  encrypt(plaintext: Uint8Array, ad: readonly Uint8Array[], nonce: Uint8Array, key: Uint8Array): Uint8Array;
  /** The plaintext, or null when the ciphertext does not authenticate. */
  decrypt(
    ciphertext: Uint8Array,
    ad: readonly Uint8Array[],
    nonce: Uint8Array,
    key: Uint8Array,
  ): Uint8Array | null;
}

const instances = new WeakMap<Sodium, MessageAead>();

/** The fastest MessageAead for this libsodium instance (made once per instance). */
export function messageAeadFor(sodium: Sodium): MessageAead {
  let aead = instances.get(sodium);
  if (!aead) {
    const lib = sodiumModule(sodium);
    aead = lib ? new DirectAead(lib) : wrapperAead(sodium);
    instances.set(sodium, aead);
  }
  return aead;
}

export function wrapperAead(sodium: Sodium): MessageAead {
  return {
    encrypt: (plaintext, ad, nonce, key) =>
      sodium.crypto_aead_xchacha20poly1305_ietf_encrypt(plaintext, join(ad), null, nonce, key),
    decrypt: (ciphertext, ad, nonce, key) => {
      try {
        return sodium.crypto_aead_xchacha20poly1305_ietf_decrypt(null, ciphertext, join(ad), nonce, key);
      } catch {
        return null;
      }
    },
  };
}

export class DirectAead implements MessageAead {
  private capacity = 0;
  private base = 0;

  constructor(private readonly lib: SodiumModule) {}

  encrypt(plaintext: Uint8Array, ad: readonly Uint8Array[], nonce: Uint8Array, key: Uint8Array): Uint8Array {
    checkSizes(nonce, key);
    const outputLength = plaintext.length + AEAD_TAG_BYTES;
    const adLength = totalLength(ad);
    this.reserve(adLength + plaintext.length + outputLength);
    // Layout: key, nonce, AD, input, output; HEAPU8 is read after reserve() may have grown memory.
    const heap = this.lib.HEAPU8;
    const adAt = this.write(heap, key, nonce, ad);
    const input = adAt + adLength;
    const output = input + plaintext.length;
    try {
      heap.set(plaintext, input);
      this.lib._crypto_aead_xchacha20poly1305_ietf_encrypt(
        output,
        0,
        input,
        plaintext.length,
        0,
        adAt,
        adLength,
        0,
        0,
        this.base + KEY_BYTES,
        this.base,
      );
      return heap.slice(output, output + outputLength);
    } finally {
      heap.fill(0, this.base, output + outputLength);
    }
  }

  decrypt(
    ciphertext: Uint8Array,
    ad: readonly Uint8Array[],
    nonce: Uint8Array,
    key: Uint8Array,
  ): Uint8Array | null {
    checkSizes(nonce, key);
    if (ciphertext.length < AEAD_TAG_BYTES) return null;
    const outputLength = ciphertext.length - AEAD_TAG_BYTES;
    const adLength = totalLength(ad);
    this.reserve(adLength + ciphertext.length + outputLength);
    const heap = this.lib.HEAPU8;
    const adAt = this.write(heap, key, nonce, ad);
    const input = adAt + adLength;
    const output = input + ciphertext.length;
    try {
      heap.set(ciphertext, input);
      const status = this.lib._crypto_aead_xchacha20poly1305_ietf_decrypt(
        output,
        0,
        0,
        input,
        ciphertext.length,
        0,
        adAt,
        adLength,
        0,
        this.base + KEY_BYTES,
        this.base,
      );
      return status === 0 ? heap.slice(output, output + outputLength) : null;
    } finally {
      heap.fill(0, this.base, output + outputLength);
    }
  }

  /** Makes the buffer hold key, nonce and `variable` more bytes, growing it when a message needs more. */
  private reserve(variable: number): void {
    const size = KEY_BYTES + NONCE_BYTES + variable;
    if (size <= this.capacity) return;
    if (this.base !== 0) this.lib._free(this.base);
    this.capacity = 0;
    this.base = this.lib._malloc(Math.max(size, 4096));
    if (this.base === 0) throw new RangeError('Out of WebAssembly memory for a message.');
    this.capacity = Math.max(size, 4096);
  }

  /** Writes key, nonce and AD at the start of the buffer; returns where the AD starts. */
  private write(heap: Uint8Array, key: Uint8Array, nonce: Uint8Array, ad: readonly Uint8Array[]): number {
    heap.set(key, this.base);
    heap.set(nonce, this.base + KEY_BYTES);
    const adAt = this.base + KEY_BYTES + NONCE_BYTES;
    let at = adAt;
    for (const part of ad) {
      heap.set(part, at);
      at += part.length;
    }
    return adAt;
  }
}

function checkSizes(nonce: Uint8Array, key: Uint8Array): void {
  if (nonce.length !== NONCE_BYTES || key.length !== KEY_BYTES)
    throw new RangeError('Bad AEAD key or nonce length.');
}

function totalLength(parts: readonly Uint8Array[]): number {
  let length = 0;
  for (const part of parts) length += part.length;
  return length;
}

function join(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(totalLength(parts));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}
