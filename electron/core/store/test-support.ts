/**
 * What the store's tests share: a temporary folder per test, fast Argon2id limits, and a real
 * keychain that is not Electron (it seals with a key it holds, as an OS keychain would).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AccountStoreOptions } from './account-store';
import { type DatabaseKey, generateDatabaseKey } from './database-key';
import type { Keychain } from './key-wrap/keychain-wrap';
import { minimumLimits } from './key-wrap/passphrase-wrap';
import type { Sodium } from './sodium';
import { Store } from './store';

export function makeTempDir(prefix = 'parley-store-'): { dir: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A settable clock for throttle tests. */
export function manualClock(start = 1_700_000_000_000): { now(): number; advance(ms: number): void } {
  let t = start;
  return { now: () => t, advance: (ms) => (t += ms) };
}

export function fastOptions(sodium: Sodium, dir: string, clock?: () => number): AccountStoreOptions {
  return { dir, sodium, pwhashLimits: minimumLimits(sodium), ...(clock ? { clock } : {}) };
}

/**
 * A keychain backed by XChaCha20-Poly1305 under a secret held in memory: real encryption, so a
 * keychain holding another secret cannot decrypt, just as a reset OS keychain cannot.
 */
export class SecretKeychain implements Keychain {
  private readonly secret: Uint8Array;

  constructor(
    private readonly sodium: Sodium,
    private readonly backend = 'gnome_libsecret',
    private readonly available = true,
  ) {
    this.secret = sodium.crypto_aead_xchacha20poly1305_ietf_keygen();
  }

  isEncryptionAvailable(): boolean {
    return this.available;
  }

  encryptString(plainText: string): Uint8Array {
    const s = this.sodium;
    const nonce = s.randombytes_buf(s.crypto_aead_xchacha20poly1305_ietf_NPUBBYTES);
    const sealed = s.crypto_aead_xchacha20poly1305_ietf_encrypt(plainText, null, null, nonce, this.secret);
    return Buffer.concat([nonce, sealed]);
  }

  decryptString(encrypted: Buffer): string {
    const s = this.sodium;
    const n = s.crypto_aead_xchacha20poly1305_ietf_NPUBBYTES;
    const plain = s.crypto_aead_xchacha20poly1305_ietf_decrypt(
      null,
      encrypted.subarray(n),
      null,
      encrypted.subarray(0, n),
      this.secret,
    );
    return s.to_string(plain);
  }

  getSelectedStorageBackend(): string {
    return this.backend;
  }
}

/** A 32-hex-digit message id from a number, for readable tests. */
export function messageId(n: number): string {
  return n.toString(16).padStart(32, '0');
}

/** A store opened straight from a fresh key in a temporary folder; the test keeps a copy of the key. */
export function openTempStore(sodium: Sodium): {
  store: Store;
  key: DatabaseKey;
  path: string;
  dir: string;
  remove(): void;
} {
  const temp = makeTempDir();
  const path = join(temp.dir, 'parley.db');
  const key = generateDatabaseKey(sodium);
  const store = Store.open(path, Uint8Array.from(key) as DatabaseKey);
  return {
    store,
    key,
    path,
    dir: temp.dir,
    remove: () => {
      store.close();
      temp.remove();
    },
  };
}
