/**
 * One data folder's account through its life: set up (identity, registration, encrypted store,
 * first prekeys), unlock, run (relay connection + messenger), lock. Decides the app's phase:
 * onboarding before an account exists, locked while its store is closed, ready when unlocked.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { formatAddress } from '../../shared/address';
import { ParleyError } from '../../shared/errors';
import type { AccountView, AppStateView, ConnectionState } from '../../shared/ipc';
import type { EventHub } from './api/event-hub';
import type { CoreLogger } from './core';
import {
  type AttachmentCrypto,
  createIdentity,
  deserializeIdentity,
  type IdentityKeyPair,
  type Sodium,
  serializeIdentity,
  wipeIdentity,
} from './crypto';
import { signWithIdentity } from './crypto/identity';
import { EncryptedFileCache } from './files/encrypted-file-cache';
import type { FilePolicy } from './files/file-policy';
import type { FileSaver } from './files/file-saver';
import { FileTransfers, type FileTransferTuning } from './files/file-transfers';
import { Messenger } from './messenger/messenger';
import { PrekeyVault } from './messenger/prekey-vault';
import type { RelayConnection, RelayConnector } from './messenger/relay-port';
import { accountView, keyFingerprint } from './messenger/views';
import {
  type AccountStoreOptions,
  accountStoreExists,
  type Clock,
  changePassphrase,
  createAccountStore,
  type Keychain,
  openAccountStore,
  type PwhashLimits,
  type Store,
  unlockMethods,
} from './store';
import { checkKeychain } from './store/key-wrap/keychain-wrap';
import type { PassphraseKdf } from './store/key-wrap/passphrase-kdf';

const PREKEY_CHECK_MS = 6 * 60 * 60_000;

export interface AccountControllerDeps {
  readonly dataDir: string;
  readonly sodium: Sodium;
  readonly relays: RelayConnector;
  readonly events: EventHub;
  readonly clock: Clock;
  readonly logger: CoreLogger;
  /** The OS keychain (Electron's safeStorage); null in the browser host. */
  readonly keychain: Keychain | null;
  /** Argon2id limits for the passphrase; tests pass the minimum. */
  readonly pwhashLimits?: PwhashLimits;
  /** Where Argon2id runs (a worker thread in the app). */
  readonly kdf?: PassphraseKdf;
  readonly files: {
    readonly policy: FilePolicy;
    readonly crypto: AttachmentCrypto;
    readonly saver: FileSaver | null;
    readonly tuning?: Partial<FileTransferTuning>;
  };
}

/** The folder of files' encrypted copies, inside the account's folder (removed with it). */
const FILES_FOLDER = 'files';

interface Running {
  readonly store: Store;
  readonly identity: IdentityKeyPair;
  readonly connection: RelayConnection;
  readonly messenger: Messenger;
  readonly files: FileTransfers;
  readonly timer: NodeJS.Timeout;
  readonly maintain: () => Promise<void>;
  published: boolean;
  connectionState: ConnectionState;
}

export class AccountController {
  private running: Running | null = null;
  private busy: Promise<unknown> = Promise.resolve();

  constructor(private readonly deps: AccountControllerDeps) {}

  private get storeOptions(): AccountStoreOptions {
    const { sodium, clock, pwhashLimits, kdf } = this.deps;
    return {
      dir: join(this.deps.dataDir, 'account'),
      sodium,
      clock,
      ...(pwhashLimits ? { pwhashLimits } : {}),
      ...(kdf ? { kdf } : {}),
    };
  }

  state(): AppStateView {
    const r = this.running;
    if (r) {
      return {
        phase: 'ready',
        account: this.view(r),
        connection: r.connectionState,
        queued: r.messenger.queued(),
      };
    }
    const phase = accountStoreExists(this.storeOptions.dir) ? 'locked' : 'onboarding';
    return { phase, account: null, connection: 'offline', queued: 0 };
  }

  /** The unlocked messenger, or STORE_LOCKED. */
  messenger(): Messenger {
    if (!this.running)
      throw new ParleyError('STORE_LOCKED', 'Parley is locked. Unlock it with your passphrase.');
    return this.running.messenger;
  }

  /** The unlocked account's files, or STORE_LOCKED. */
  files(): FileTransfers {
    if (!this.running)
      throw new ParleyError('STORE_LOCKED', 'Parley is locked. Unlock it with your passphrase.');
    return this.running.files;
  }

  account(): AccountView {
    if (!this.running)
      throw new ParleyError('STORE_LOCKED', 'Parley is locked. Unlock it with your passphrase.');
    return this.view(this.running);
  }

  /** Opens the store with the OS keychain when the account allows it (desktop start-up). */
  async unlockWithKeychain(): Promise<boolean> {
    const { keychain } = this.deps;
    if (!keychain || this.running || !accountStoreExists(this.storeOptions.dir)) return false;
    if (!unlockMethods(this.storeOptions).includes('keychain')) return false;
    try {
      await this.exclusive(async () =>
        this.start(await openAccountStore({ ...this.storeOptions, credential: { keychain } }), true),
      );
      return true;
    } catch (error) {
      this.deps.logger.warn(
        { event: 'account.keychain_unlock_failed', code: (error as ParleyError).code },
        'keychain unlock failed',
      );
      return false;
    }
  }

  create(args: {
    relayUrl: string;
    username: string;
    displayName: string;
    invitationCode: string | null;
    passphrase: string;
  }): Promise<AccountView> {
    return this.exclusive(async () => {
      const { sodium, relays, clock, keychain } = this.deps;
      if (accountStoreExists(this.storeOptions.dir)) {
        throw new ParleyError('ACCOUNT_EXISTS', 'This device already has an account. Unlock it instead.');
      }
      const relayUrl = normalizeRelayUrl(args.relayUrl);
      const identity = createIdentity(sodium);
      const registration = await relays.register(relayUrl, {
        username: args.username,
        displayName: args.displayName,
        invitationCode: args.invitationCode,
        identityKey: identity.publicKey,
      });
      const usableKeychain = keychain && keychainUsable(keychain) ? keychain : undefined;
      const store = await createAccountStore({
        ...this.storeOptions,
        protection: { passphrase: args.passphrase, ...(usableKeychain ? { keychain: usableKeychain } : {}) },
      });
      const now = clock();
      const upload = store.transaction(() => {
        store.account.create({
          userId: registration.userId,
          deviceId: registration.deviceId,
          username: args.username,
          displayName: args.displayName,
          relayUrl,
          createdAt: now,
        });
        store.identity.put(serializeIdentity(identity), now);
        return new PrekeyVault(store, sodium, identity).createInitial(now);
      });
      wipeIdentity(sodium, identity);
      const running = this.start(store, false);
      try {
        // The first prekeys must reach the relay, or nobody can start a chat with this device.
        await running.connection.ready();
        await running.connection.uploadPrekeys(upload);
      } catch (error) {
        await this.stopRunning();
        removeAccount(this.storeOptions.dir);
        throw error;
      }
      running.published = true;
      void running.maintain();
      return this.view(running);
    });
  }

  unlock(passphrase: string): Promise<AccountView> {
    return this.exclusive(async () => {
      if (this.running) return this.view(this.running);
      if (!accountStoreExists(this.storeOptions.dir)) {
        throw new ParleyError('ACCOUNT_MISSING', 'There is no account on this device yet. Set one up first.');
      }
      const store = await openAccountStore({ ...this.storeOptions, credential: { passphrase } });
      return this.view(this.start(store, true));
    });
  }

  lock(): Promise<void> {
    return this.exclusive(() => this.stopRunning());
  }

  private async stopRunning(): Promise<void> {
    const r = this.running;
    if (!r) return;
    this.running = null;
    clearInterval(r.timer);
    await r.files.stop();
    await r.messenger.stop();
    await r.connection.close();
    r.store.close();
    wipeIdentity(this.deps.sodium, r.identity);
    this.emitState();
  }

  async changePassphrase(current: string, next: string): Promise<void> {
    await changePassphrase(this.storeOptions, { passphrase: current }, next);
  }

  updateProfile(displayName: string): AccountView {
    const r = this.running;
    if (!r) throw new ParleyError('STORE_LOCKED', 'Parley is locked. Unlock it with your passphrase.');
    r.store.account.update({ displayName });
    this.emitState();
    return this.view(r);
  }

  emitState(): void {
    this.deps.events.emit('app.state', this.state());
  }

  /** `published`: the device's first prekeys are on the relay (false only during set-up). */
  private start(store: Store, published: boolean): Running {
    const { sodium, relays, events, clock, logger } = this.deps;
    try {
      const account = store.account.get();
      const identityBytes = store.identity.get();
      if (!account || !identityBytes) {
        throw new ParleyError(
          'STORE_CORRUPT',
          'This account was not set up completely. Remove its folder and set it up again.',
        );
      }
      const identity = deserializeIdentity(sodium, identityBytes);
      const address = { userId: account.userId, deviceId: account.deviceId };
      const connection = relays.connect(account.relayUrl, {
        address,
        identityPublicKey: identity.publicKey,
        sign: (message) => signWithIdentity(sodium, identity, message),
      });
      const messenger = new Messenger({
        store,
        sodium,
        identity,
        account,
        relay: connection,
        events,
        clock,
        logger,
      });
      const files = new FileTransfers({
        store,
        sodium,
        crypto: this.deps.files.crypto,
        relay: connection,
        messages: messenger,
        events,
        clock,
        logger,
        cache: new EncryptedFileCache(join(this.storeOptions.dir, FILES_FOLDER)),
        policy: this.deps.files.policy,
        saver: this.deps.files.saver,
        ...(this.deps.files.tuning ? { tuning: this.deps.files.tuning } : {}),
      });
      messenger.onIncomingFiles((ids) => files.received(ids));
      const maintain = async () => {
        if (!running.published) return;
        await messenger.maintainPrekeys().catch((error: unknown) => {
          logger.warn(
            { event: 'prekeys.maintenance_failed', code: (error as ParleyError).code },
            'prekey upkeep failed',
          );
        });
      };
      const timer = setInterval(maintain, PREKEY_CHECK_MS);
      timer.unref?.();
      const running: Running = {
        store,
        identity,
        connection,
        messenger,
        files,
        timer,
        maintain,
        published,
        connectionState: 'connecting',
      };
      connection.onEnvelopes((batch) => messenger.receive(batch));
      connection.onPrekeysLow(maintain);
      connection.onRevoked(() => {
        logger.warn(
          { event: 'account.revoked', address: formatAddress(address) },
          'the relay revoked this device',
        );
      });
      connection.onState((state) => {
        running.connectionState = state;
        messenger.setOnline(state === 'online');
        files.setOnline(state === 'online');
        if (state === 'online') void maintain();
        this.emitState();
      });
      this.running = running;
      files.resume();
      this.emitState();
      return running;
    } catch (error) {
      store.close();
      throw error;
    }
  }

  private view(r: Running): AccountView {
    return accountView(r.store.account.get()!, keyFingerprint(r.identity.publicKey));
  }

  /** Set-up, unlock and lock never overlap. */
  private exclusive<T>(task: () => Promise<T>): Promise<T> {
    const run = this.busy.then(task, task);
    this.busy = run.catch(() => {});
    return run;
  }
}

/** The keychain protects the key only where the OS really encrypts (never Linux's basic_text). */
function keychainUsable(keychain: Keychain): boolean {
  try {
    checkKeychain(keychain);
    return true;
  } catch {
    return false;
  }
}

/** Removes what an interrupted set-up left, so the person can try again. */
function removeAccount(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

function normalizeRelayUrl(raw: string): string {
  try {
    const url = new URL(raw.trim());
    if (url.protocol === 'http:' || url.protocol === 'https:') return url.origin;
  } catch {
    // reported below
  }
  throw new ParleyError(
    'INVALID_ARGUMENT',
    'The relay address must start with http:// or https://, like https://relay.example.com.',
  );
}
