/**
 * An account's files in its folder: `parley.db` (the SQLCipher database) and `parley.key` (its
 * wrapped key). Creates, unlocks and re-protects them; the database key lives only as long as it
 * takes to open the database.
 */
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { ParleyError } from '../../../shared/errors';
import type { Clock } from './clock';
import { type DatabaseKey, generateDatabaseKey } from './database-key';
import { type Credential, KeyVault, type Protection, type UnlockMethod } from './key-wrap/key-vault';
import { checkKeychain, type Keychain } from './key-wrap/keychain-wrap';
import type { PassphraseKdf } from './key-wrap/passphrase-kdf';
import type { PwhashLimits } from './key-wrap/passphrase-wrap';
import type { ThrottlePolicy } from './key-wrap/unlock-throttle';
import type { Sodium } from './sodium';
import { Store } from './store';

export const DATABASE_FILE = 'parley.db';
export const KEY_FILE = 'parley.key';

export interface AccountStoreOptions {
  /** The account's own folder; created if missing. */
  readonly dir: string;
  readonly sodium: Sodium;
  readonly clock?: Clock;
  readonly throttle?: ThrottlePolicy;
  /** Argon2id limits for new passphrase wraps (libsodium MODERATE by default; tests pass the minimum). */
  readonly pwhashLimits?: PwhashLimits;
  /** Where Argon2id runs (key-wrap/passphrase-kdf.ts); on the calling thread by default. */
  readonly kdf?: PassphraseKdf;
}

export function accountFiles(dir: string): { database: string; keyFile: string } {
  return { database: join(dir, DATABASE_FILE), keyFile: join(dir, KEY_FILE) };
}

export function accountStoreExists(dir: string): boolean {
  return existsSync(accountFiles(dir).keyFile);
}

/** The ways the account's key can be unlocked, without unlocking it. */
export function unlockMethods(options: AccountStoreOptions): UnlockMethod[] {
  return vault(options).methods();
}

/**
 * Creates a new account store protected by a passphrase and/or the OS keychain. The database is
 * created before the key file, so an interrupted set-up leaves at worst a database without a key
 * file, which nobody can ever read and the next set-up removes.
 */
export async function createAccountStore(
  options: AccountStoreOptions & { protection: Protection },
): Promise<Store> {
  const files = accountFiles(options.dir);
  const keys = vault(options);
  if (keys.exists()) throw new ParleyError('ACCOUNT_EXISTS', 'This device already has an account set up.');
  if (options.protection.keychain !== undefined) checkKeychain(options.protection.keychain);
  mkdirSync(options.dir, { recursive: true, mode: 0o700 });
  removeDatabaseFiles(files.database);
  const key = generateDatabaseKey(options.sodium);
  let store: Store | undefined;
  try {
    store = Store.open(files.database, key);
    await keys.create(options.protection, key);
    return store;
  } catch (error) {
    store?.close();
    removeDatabaseFiles(files.database);
    throw error;
  } finally {
    options.sodium.memzero(key);
  }
}

/** Unlocks the key (passphrase or keychain) and opens the account's database. */
export async function openAccountStore(
  options: AccountStoreOptions & { credential: Credential },
): Promise<Store> {
  const files = accountFiles(options.dir);
  const key = await vault(options).unlock(options.credential);
  if (!existsSync(files.database)) {
    options.sodium.memzero(key);
    throw new ParleyError(
      'STORE_CORRUPT',
      'The messages of this account are missing from this device. Restore them from a backup or set up this device again.',
    );
  }
  return openWith(files.database, key, options.sodium);
}

/** Re-wraps the same database key under a new passphrase; the database is untouched. */
export async function changePassphrase(
  options: AccountStoreOptions,
  current: Credential,
  newPassphrase: string,
): Promise<void> {
  await vault(options).changePassphrase(current, newPassphrase);
}

export async function enableKeychain(
  options: AccountStoreOptions,
  current: Credential,
  keychain: Keychain,
): Promise<void> {
  await vault(options).enableKeychain(current, keychain);
}

export function disableKeychain(options: AccountStoreOptions): void {
  vault(options).disableKeychain();
}

function vault(options: AccountStoreOptions): KeyVault {
  return new KeyVault(accountFiles(options.dir).keyFile, options);
}

function openWith(database: string, key: DatabaseKey, sodium: Sodium): Store {
  try {
    return Store.open(database, key);
  } finally {
    sodium.memzero(key);
  }
}

function removeDatabaseFiles(database: string): void {
  for (const suffix of ['', '-wal', '-shm', '-journal']) rmSync(database + suffix, { force: true });
}
