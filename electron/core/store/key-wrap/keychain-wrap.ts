/**
 * Wraps the database key with the OS keychain through an interface that Electron's `safeStorage`
 * satisfies as it is (macOS Keychain, Windows DPAPI, libsecret or KWallet on Linux). Linux's
 * `basic_text` backend encrypts with a hard-coded password, which is plaintext in all but name:
 * it is refused, and the app falls back to the passphrase.
 */
import { ParleyError } from '../../../../shared/errors';
import { asDatabaseKey, type DatabaseKey } from '../database-key';
import type { Sodium } from '../sodium';
import type { KeychainWrap } from './key-file';

/** What the Electron main process passes in: `safeStorage` itself, or a test double of the OS. */
export interface Keychain {
  isEncryptionAvailable(): boolean;
  encryptString(plainText: string): Uint8Array;
  decryptString(encrypted: Buffer): string;
  /** Linux only (Electron's `safeStorage.getSelectedStorageBackend`). */
  getSelectedStorageBackend?(): string;
}

/** Backends that protect nothing (`basic_text`) or are not known yet (`unknown`, before app ready). */
const REFUSED_BACKENDS: ReadonlySet<string> = new Set(['basic_text', 'unknown']);

/** Returns the backend name (null off Linux); throws STORE_KEYCHAIN_UNAVAILABLE when unusable. */
export function checkKeychain(keychain: Keychain): string | null {
  if (!keychain.isEncryptionAvailable()) throw unavailable();
  const backend = keychain.getSelectedStorageBackend?.() ?? null;
  if (backend !== null && REFUSED_BACKENDS.has(backend)) throw unavailable();
  return backend;
}

export function wrapWithKeychain(sodium: Sodium, key: DatabaseKey, keychain: Keychain): KeychainWrap {
  const backend = checkKeychain(keychain);
  // safeStorage only takes strings; this base64 copy of the key cannot be wiped, only dropped.
  const encrypted = keychain.encryptString(sodium.to_base64(key, sodium.base64_variants.ORIGINAL));
  return {
    method: 'keychain',
    backend,
    ciphertext: sodium.to_base64(encrypted, sodium.base64_variants.ORIGINAL),
  };
}

export function unwrapWithKeychain(sodium: Sodium, wrap: KeychainWrap, keychain: Keychain): DatabaseKey {
  checkKeychain(keychain);
  const encrypted = Buffer.from(sodium.from_base64(wrap.ciphertext, sodium.base64_variants.ORIGINAL));
  let text: string;
  try {
    text = keychain.decryptString(encrypted);
  } catch (error) {
    throw new ParleyError(
      'STORE_KEYCHAIN_UNAVAILABLE',
      'The system keychain could not unlock your messages (it may have been reset). Unlock with your passphrase instead.',
      { cause: error },
    );
  }
  let key: Uint8Array;
  try {
    key = sodium.from_base64(text, sodium.base64_variants.ORIGINAL);
  } catch (error) {
    throw new ParleyError(
      'STORE_CORRUPT',
      'The keychain returned a damaged key. Unlock with your passphrase instead.',
      { cause: error },
    );
  }
  return asDatabaseKey(key);
}

function unavailable(): ParleyError {
  return new ParleyError(
    'STORE_KEYCHAIN_UNAVAILABLE',
    'This system has no secure keychain Parley can use, so your messages are protected by your passphrase instead.',
  );
}
