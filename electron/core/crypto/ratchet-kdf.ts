/**
 * The Double Ratchet's key derivations (Double Ratchet §5.2 "Recommended cryptographic
 * algorithms"): KDF_RK is HKDF-SHA256 keyed by the root key, KDF_CK is HMAC-SHA256 of the chain
 * key over distinct one-byte constants, and ENCRYPT's nonce comes from the chain position.
 */
import { hmacPairFor } from './chain-kdf';
import { hkdfSha256 } from './hkdf';
import { asChainKey, asRootKey, type ChainKey, type MessageKey, type RootKey } from './keys';
import type { Sodium } from './sodium';

const ROOT_INFO = new TextEncoder().encode('Parley_DoubleRatchet_RootChain');
const MESSAGE_KEY_CONSTANT = 0x01;
const CHAIN_KEY_CONSTANT = 0x02;
const NONCE_LABEL = new TextEncoder().encode('Parley DR nonce1'); // 16 bytes
export const MESSAGE_NONCE_BYTES = 24;

/**
 * Double Ratchet §3.1 / §5.2 KDF_RK(rk, dh_out): HKDF-SHA256 with the root key as salt, the DH
 * output as input key material and an application info string; 64 bytes split into the next
 * root key and a chain key.
 */
export function kdfRk(
  sodium: Sodium,
  rootKey: RootKey,
  dhOutput: Uint8Array,
): { readonly rootKey: RootKey; readonly chainKey: ChainKey } {
  const out = hkdfSha256(sodium, dhOutput, rootKey, ROOT_INFO, 64);
  const next = { rootKey: asRootKey(out.slice(0, 32)), chainKey: asChainKey(out.slice(32, 64)) };
  sodium.memzero(out);
  return next;
}

/**
 * Double Ratchet §3.1 / §5.2 KDF_CK(ck): message key = HMAC-SHA256(ck, 0x01), next chain key =
 * HMAC-SHA256(ck, 0x02), the two sharing one HMAC key schedule (chain-kdf.ts).
 */
export function kdfCk(
  sodium: Sodium,
  chainKey: ChainKey,
): { readonly chainKey: ChainKey; readonly messageKey: MessageKey } {
  const [messageKey, nextChainKey] = hmacPairFor(sodium)(chainKey, MESSAGE_KEY_CONSTANT, CHAIN_KEY_CONSTANT);
  return { messageKey: messageKey as MessageKey, chainKey: nextChainKey as ChainKey };
}

/**
 * Double Ratchet §3.4 / §5.2 ENCRYPT's nonce for message `counter`. The message key is the
 * XChaCha20-Poly1305 key and is used exactly once, so the nonce needs no randomness: it is a
 * fixed label and the message number, written into `out` (24 bytes). XChaCha20's HChaCha20
 * step derives the cipher subkey from the message key and the label.
 */
export function writeMessageNonce(out: Uint8Array, counter: number): void {
  out.set(NONCE_LABEL, 0);
  out[16] = 0;
  out[17] = 0;
  out[18] = 0;
  out[19] = 0;
  out[20] = (counter >>> 24) & 0xff;
  out[21] = (counter >>> 16) & 0xff;
  out[22] = (counter >>> 8) & 0xff;
  out[23] = counter & 0xff;
}
