/**
 * Branded key types (CONVENTIONS.md): the compiler refuses a public key where a secret one
 * belongs, or a chain key where a root key belongs. Values are plain Uint8Arrays at run time;
 * the `as…` functions check the length before branding bytes that came from outside.
 */
import { ParleyError } from '../../../shared/errors';
import type { Sodium } from './sodium';

type Bytes<Brand extends string> = Uint8Array & { readonly __brand: Brand };

/** Ed25519 device identity public key, 32 bytes. */
export type IdentityPublicKey = Bytes<'IdentityPublicKey'>;
/** Ed25519 device identity secret key in libsodium's layout (seed ‖ public key), 64 bytes. */
export type IdentitySecretKey = Bytes<'IdentitySecretKey'>;
/** X25519 public key (prekeys, ephemeral keys, ratchet keys, converted identity keys), 32 bytes. */
export type DhPublicKey = Bytes<'DhPublicKey'>;
/** X25519 secret key, 32 bytes. */
export type DhSecretKey = Bytes<'DhSecretKey'>;
/** ML-KEM-1024 encapsulation key, 1568 bytes. */
export type KemPublicKey = Bytes<'KemPublicKey'>;
/** ML-KEM-1024 decapsulation key, 3168 bytes. */
export type KemSecretKey = Bytes<'KemSecretKey'>;
/** Double Ratchet root key RK. */
export type RootKey = Bytes<'RootKey'>;
/** Double Ratchet chain key CKs or CKr. */
export type ChainKey = Bytes<'ChainKey'>;
/** Double Ratchet message key mk. */
export type MessageKey = Bytes<'MessageKey'>;
/** secretstream key of one attachment. */
export type AttachmentKey = Bytes<'AttachmentKey'>;

export interface DhKeyPair {
  readonly publicKey: DhPublicKey;
  readonly secretKey: DhSecretKey;
}

export interface KemKeyPair {
  readonly publicKey: KemPublicKey;
  readonly secretKey: KemSecretKey;
}

export const IDENTITY_PUBLIC_KEY_BYTES = 32;
export const IDENTITY_SECRET_KEY_BYTES = 64;
export const DH_KEY_BYTES = 32;
export const KEM_PUBLIC_KEY_BYTES = 1568;
export const KEM_SECRET_KEY_BYTES = 3168;
export const KEM_CIPHERTEXT_BYTES = 1568;
export const SYMMETRIC_KEY_BYTES = 32;

function brand<B extends Uint8Array>(bytes: Uint8Array, length: number, what: string): B {
  if (!(bytes instanceof Uint8Array) || bytes.length !== length) {
    throw new ParleyError('CRYPTO_INVALID_KEY', `The ${what} has the wrong length, so it cannot be used.`);
  }
  return bytes as B;
}

export const asIdentityPublicKey = (b: Uint8Array) =>
  brand<IdentityPublicKey>(b, IDENTITY_PUBLIC_KEY_BYTES, 'identity key');
export const asIdentitySecretKey = (b: Uint8Array) =>
  brand<IdentitySecretKey>(b, IDENTITY_SECRET_KEY_BYTES, 'identity secret key');
export const asDhPublicKey = (b: Uint8Array) => brand<DhPublicKey>(b, DH_KEY_BYTES, 'public key');
export const asDhSecretKey = (b: Uint8Array) => brand<DhSecretKey>(b, DH_KEY_BYTES, 'secret key');
export const asKemPublicKey = (b: Uint8Array) =>
  brand<KemPublicKey>(b, KEM_PUBLIC_KEY_BYTES, 'post-quantum public key');
export const asKemSecretKey = (b: Uint8Array) =>
  brand<KemSecretKey>(b, KEM_SECRET_KEY_BYTES, 'post-quantum secret key');
export const asRootKey = (b: Uint8Array) => brand<RootKey>(b, SYMMETRIC_KEY_BYTES, 'root key');
export const asChainKey = (b: Uint8Array) => brand<ChainKey>(b, SYMMETRIC_KEY_BYTES, 'chain key');
export const asMessageKey = (b: Uint8Array) => brand<MessageKey>(b, SYMMETRIC_KEY_BYTES, 'message key');
export const asAttachmentKey = (b: Uint8Array) => brand<AttachmentKey>(b, SYMMETRIC_KEY_BYTES, 'file key');

/** Overwrites secret bytes with zeros (sodium_memzero) once they are no longer needed. */
export function wipe(sodium: Sodium, ...secrets: readonly (Uint8Array | null | undefined)[]): void {
  for (const secret of secrets) if (secret) sodium.memzero(secret);
}

/** Equality of public values (keys, ids); not for secrets, which use sodium.memcmp. */
export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
