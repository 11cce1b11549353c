/**
 * One account's key file: creates the random database key and wraps it, unlocks it with a
 * passphrase (throttled) or the OS keychain, and re-wraps the same key when the passphrase or
 * the keychain choice changes. The database itself is never touched by these changes.
 */
import { existsSync } from 'node:fs';
import { ParleyError } from '../../../../shared/errors';
import { type Clock, systemClock } from '../clock';
import { type DatabaseKey, generateDatabaseKey } from '../database-key';
import type { Sodium } from '../sodium';
import { type KeyFile, type KeyWrap, readKeyFile, writeKeyFile } from './key-file';
import { checkKeychain, type Keychain, unwrapWithKeychain, wrapWithKeychain } from './keychain-wrap';
import { inThreadKdf, type PassphraseKdf } from './passphrase-kdf';
import {
  moderateLimits,
  type PwhashLimits,
  unwrapWithPassphrase,
  wrapWithPassphrase,
} from './passphrase-wrap';
import {
  afterFailure,
  checkThrottle,
  DEFAULT_THROTTLE,
  NO_FAILURES,
  type ThrottlePolicy,
} from './unlock-throttle';

/** How to unlock: the passphrase the person typed, or the OS keychain. */
export type Credential = { readonly passphrase: string } | { readonly keychain: Keychain };

/** How to protect a new key file: a passphrase, the keychain, or both (either then unlocks). */
export interface Protection {
  readonly passphrase?: string;
  readonly keychain?: Keychain;
}

export type UnlockMethod = KeyWrap['method'];

export interface KeyVaultOptions {
  readonly sodium: Sodium;
  readonly clock?: Clock;
  readonly throttle?: ThrottlePolicy;
  /** Argon2id limits for new passphrase wraps; libsodium's MODERATE by default. */
  readonly pwhashLimits?: PwhashLimits;
  /** Where Argon2id runs (passphrase-kdf.ts); on the calling thread by default. */
  readonly kdf?: PassphraseKdf;
}

export class KeyVault {
  private readonly sodium: Sodium;
  private readonly clock: Clock;
  private readonly throttle: ThrottlePolicy;
  private readonly limits: PwhashLimits;
  private readonly kdf: PassphraseKdf;

  constructor(
    readonly path: string,
    options: KeyVaultOptions,
  ) {
    this.sodium = options.sodium;
    this.clock = options.clock ?? systemClock;
    this.throttle = options.throttle ?? DEFAULT_THROTTLE;
    this.limits = options.pwhashLimits ?? moderateLimits(options.sodium);
    this.kdf = options.kdf ?? inThreadKdf(options.sodium);
  }

  exists(): boolean {
    return existsSync(this.path);
  }

  /** The ways this key file can be unlocked, so the app knows whether to ask for the passphrase. */
  methods(): UnlockMethod[] {
    return readKeyFile(this.path).wraps.map((wrap) => wrap.method);
  }

  /**
   * Writes the key file for `key` (a fresh random one by default) and returns the key, which the
   * caller wipes. Refuses an unusable keychain before writing anything.
   */
  async create(
    protection: Protection,
    key: DatabaseKey = generateDatabaseKey(this.sodium),
  ): Promise<DatabaseKey> {
    if (this.exists()) throw new ParleyError('ACCOUNT_EXISTS', 'This device already has an account set up.');
    if (protection.passphrase === undefined && protection.keychain === undefined) {
      throw new ParleyError('INVALID_ARGUMENT', 'Choose a passphrase to protect your messages.');
    }
    try {
      if (protection.keychain !== undefined) checkKeychain(protection.keychain);
      const wraps: KeyWrap[] = [];
      if (protection.passphrase !== undefined) {
        wraps.push(await wrapWithPassphrase(this.sodium, this.kdf, key, protection.passphrase, this.limits));
      }
      if (protection.keychain !== undefined)
        wraps.push(wrapWithKeychain(this.sodium, key, protection.keychain));
      writeKeyFile(this.path, { version: 1, wraps, throttle: NO_FAILURES });
      return key;
    } catch (error) {
      this.sodium.memzero(key);
      throw error;
    }
  }

  /**
   * The database key. A wrong passphrase is STORE_WRONG_PASSPHRASE and counts towards the
   * throttle; while the throttle holds, attempts are refused with RATE_LIMITED before any work.
   */
  async unlock(credential: Credential): Promise<DatabaseKey> {
    const file = readKeyFile(this.path);
    if ('keychain' in credential) {
      const wrap = file.wraps.find((w) => w.method === 'keychain');
      if (wrap === undefined) {
        throw new ParleyError(
          'STORE_KEYCHAIN_UNAVAILABLE',
          'This account is not unlocked by the system keychain. Enter your passphrase.',
        );
      }
      return unwrapWithKeychain(this.sodium, wrap, credential.keychain);
    }
    const wrap = file.wraps.find((w) => w.method === 'passphrase');
    if (wrap === undefined) {
      throw new ParleyError(
        'INVALID_ARGUMENT',
        'This account has no passphrase; it is unlocked by the system keychain.',
      );
    }
    const now = this.clock();
    checkThrottle(file.throttle, now, this.throttle);
    const key = await unwrapWithPassphrase(this.sodium, this.kdf, wrap, credential.passphrase);
    if (key === null) {
      writeKeyFile(this.path, { ...file, throttle: afterFailure(file.throttle, now, this.throttle) });
      throw new ParleyError(
        'STORE_WRONG_PASSPHRASE',
        'That passphrase is not right. Check it and try again.',
      );
    }
    if (file.throttle.failedAttempts > 0) writeKeyFile(this.path, { ...file, throttle: NO_FAILURES });
    return key;
  }

  /** Sets a new passphrase (or adds one to a keychain-only account), re-wrapping the same key. */
  async changePassphrase(current: Credential, newPassphrase: string): Promise<void> {
    await this.rewrap(current, (key) =>
      wrapWithPassphrase(this.sodium, this.kdf, key, newPassphrase, this.limits),
    );
  }

  /** Adds (or refreshes) the keychain wrap, so the app can open without asking for the passphrase. */
  async enableKeychain(current: Credential, keychain: Keychain): Promise<void> {
    await this.rewrap(current, (key) => wrapWithKeychain(this.sodium, key, keychain));
  }

  /** Removes the keychain wrap; the passphrase then becomes the only way in. */
  disableKeychain(): void {
    const file = readKeyFile(this.path);
    const wraps = file.wraps.filter((w) => w.method !== 'keychain');
    if (wraps.length === file.wraps.length) return;
    if (wraps.length === 0) {
      throw new ParleyError('INVALID_ARGUMENT', 'Set a passphrase before turning off the system keychain.');
    }
    writeKeyFile(this.path, { ...file, wraps });
  }

  private async rewrap(
    current: Credential,
    wrap: (key: DatabaseKey) => KeyWrap | Promise<KeyWrap>,
  ): Promise<void> {
    const key = await this.unlock(current);
    try {
      const next = await wrap(key);
      const file: KeyFile = readKeyFile(this.path);
      const wraps = [...file.wraps.filter((w) => w.method !== next.method), next];
      writeKeyFile(this.path, { ...file, wraps });
    } finally {
      this.sodium.memzero(key);
    }
  }
}
