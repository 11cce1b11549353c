/**
 * Wraps the database key under a passphrase: Argon2id (libsodium `crypto_pwhash`, RFC 9106) turns
 * the passphrase and a random salt into a 32-byte wrapping key, and XChaCha20-Poly1305 (IETF
 * AEAD, random 192-bit nonce) seals the database key, binding the KDF parameters as associated
 * data. A wrong passphrase fails the AEAD tag check; nothing else reveals it.
 */
import { ParleyError } from '../../../../shared/errors';
import { asDatabaseKey, type DatabaseKey } from '../database-key';
import type { Sodium } from '../sodium';
import type { PassphraseWrap } from './key-file';
import type { PassphraseKdf } from './passphrase-kdf';

export interface PwhashLimits {
  readonly opsLimit: number;
  readonly memLimit: number;
}

/**
 * libsodium's MODERATE limits (3 passes, 256 MiB): about 0.8 s here, paid once per unlock of a
 * desktop app, and the only barrier against offline guessing of a stolen laptop's key file.
 * INTERACTIVE (64 MiB, ~0.16 s) is meant for online logins where the server is the bottleneck.
 */
export function moderateLimits(sodium: Sodium): PwhashLimits {
  return {
    opsLimit: sodium.crypto_pwhash_OPSLIMIT_MODERATE,
    memLimit: sodium.crypto_pwhash_MEMLIMIT_MODERATE,
  };
}

/** The cheapest limits libsodium allows: for tests only, never for a real key file. */
export function minimumLimits(sodium: Sodium): PwhashLimits {
  return { opsLimit: sodium.crypto_pwhash_OPSLIMIT_MIN, memLimit: sodium.crypto_pwhash_MEMLIMIT_MIN };
}

export async function wrapWithPassphrase(
  sodium: Sodium,
  kdf: PassphraseKdf,
  key: DatabaseKey,
  passphrase: string,
  limits: PwhashLimits,
): Promise<PassphraseWrap> {
  const salt = sodium.randombytes_buf(sodium.crypto_pwhash_SALTBYTES);
  const nonce = sodium.randombytes_buf(sodium.crypto_aead_xchacha20poly1305_ietf_NPUBBYTES);
  const header: Omit<PassphraseWrap, 'nonce' | 'ciphertext'> = {
    method: 'passphrase',
    kdf: {
      algorithm: 'argon2id13',
      opsLimit: limits.opsLimit,
      memLimit: limits.memLimit,
      salt: sodium.to_base64(salt, sodium.base64_variants.ORIGINAL),
    },
    cipher: 'xchacha20poly1305-ietf',
  };
  const wrappingKey = await deriveWrappingKey(sodium, kdf, passphrase, salt, limits);
  try {
    const ciphertext = sodium.crypto_aead_xchacha20poly1305_ietf_encrypt(
      key,
      associatedData(header),
      null,
      nonce,
      wrappingKey,
    );
    return {
      ...header,
      nonce: sodium.to_base64(nonce, sodium.base64_variants.ORIGINAL),
      ciphertext: sodium.to_base64(ciphertext, sodium.base64_variants.ORIGINAL),
    };
  } finally {
    sodium.memzero(wrappingKey);
  }
}

/** The database key, or null when the passphrase is wrong (the AEAD tag does not verify). */
export async function unwrapWithPassphrase(
  sodium: Sodium,
  kdf: PassphraseKdf,
  wrap: PassphraseWrap,
  passphrase: string,
): Promise<DatabaseKey | null> {
  const salt = sodium.from_base64(wrap.kdf.salt, sodium.base64_variants.ORIGINAL);
  const nonce = sodium.from_base64(wrap.nonce, sodium.base64_variants.ORIGINAL);
  const ciphertext = sodium.from_base64(wrap.ciphertext, sodium.base64_variants.ORIGINAL);
  if (
    salt.length !== sodium.crypto_pwhash_SALTBYTES ||
    nonce.length !== sodium.crypto_aead_xchacha20poly1305_ietf_NPUBBYTES
  ) {
    throw new ParleyError(
      'STORE_CORRUPT',
      'The key file of this account is damaged. Restore it from a backup.',
    );
  }
  const wrappingKey = await deriveWrappingKey(sodium, kdf, passphrase, salt, wrap.kdf);
  try {
    const key = sodium.crypto_aead_xchacha20poly1305_ietf_decrypt(
      null,
      ciphertext,
      associatedData(wrap),
      nonce,
      wrappingKey,
    );
    return asDatabaseKey(key);
  } catch (error) {
    if (error instanceof ParleyError) throw error;
    return null;
  } finally {
    sodium.memzero(wrappingKey);
  }
}

async function deriveWrappingKey(
  sodium: Sodium,
  kdf: PassphraseKdf,
  passphrase: string,
  salt: Uint8Array,
  limits: PwhashLimits,
): Promise<Uint8Array> {
  if (passphrase.length === 0) throw new ParleyError('INVALID_ARGUMENT', 'Enter a passphrase.');
  // NFC, so the same passphrase typed through different input methods gives the same bytes.
  const bytes = new TextEncoder().encode(passphrase.normalize('NFC'));
  try {
    return await kdf(bytes, salt, limits, sodium.crypto_aead_xchacha20poly1305_ietf_KEYBYTES);
  } finally {
    sodium.memzero(bytes);
  }
}

/** Binds the method and the KDF parameters to the ciphertext: changing any of them fails the tag. */
function associatedData(header: Pick<PassphraseWrap, 'method' | 'kdf' | 'cipher'>): Uint8Array {
  const { kdf } = header;
  return new TextEncoder().encode(
    `parley-db-key/1/${header.method}/${kdf.algorithm}/${kdf.opsLimit}/${kdf.memLimit}/${kdf.salt}/${header.cipher}`,
  );
}
