import { copyFileSync, existsSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  accountFiles,
  accountStoreExists,
  changePassphrase,
  createAccountStore,
  openAccountStore,
  unlockMethods,
} from './account-store';
import { loadSodium, type Sodium } from './sodium';
import type { Store } from './store';
import { fastOptions, makeTempDir, SecretKeychain } from './test-support';

let sodium: Sodium;
const cleanups: Array<() => void> = [];
beforeAll(async () => {
  sodium = await loadSodium();
});
afterEach(() => {
  for (const cleanup of cleanups.splice(0).reverse()) cleanup();
});

function tempDir(): string {
  const temp = makeTempDir();
  cleanups.push(temp.remove);
  return join(temp.dir, 'account');
}

function track(store: Store): Store {
  cleanups.push(() => store.close());
  return store;
}

const ALICE = {
  userId: 'alice',
  deviceId: 1,
  username: 'alice',
  displayName: 'Alice',
  relayUrl: 'http://127.0.0.1:7777',
  createdAt: 1_700_000_000_000,
};

async function rejection(promise: Promise<unknown>): Promise<{ code: string; message: string }> {
  try {
    await promise;
  } catch (error) {
    return error as { code: string; message: string };
  }
  throw new Error('expected a rejection');
}

describe('account store', () => {
  it('creates, closes and reopens with the passphrase, keeping what was written', async () => {
    const dir = tempDir();
    const store = await createAccountStore({
      ...fastOptions(sodium, dir),
      protection: { passphrase: 'pass one' },
    });
    store.account.create(ALICE);
    store.identity.put(new Uint8Array([1, 2, 3]), 5);
    store.close();
    expect(accountStoreExists(dir)).toBe(true);

    const reopened = track(
      await openAccountStore({ ...fastOptions(sodium, dir), credential: { passphrase: 'pass one' } }),
    );
    expect(reopened.account.get()).toEqual(ALICE);
    expect(Array.from(reopened.identity.get() ?? [])).toEqual([1, 2, 3]);
  });

  it('refuses a wrong passphrase without opening the database', async () => {
    const dir = tempDir();
    (
      await createAccountStore({ ...fastOptions(sodium, dir), protection: { passphrase: 'pass one' } })
    ).close();
    const error = await rejection(
      openAccountStore({ ...fastOptions(sodium, dir), credential: { passphrase: 'pass two' } }),
    );
    expect(error.code).toBe('STORE_WRONG_PASSPHRASE');
  });

  it('changes the passphrase without touching the database file', async () => {
    const dir = tempDir();
    const store = await createAccountStore({
      ...fastOptions(sodium, dir),
      protection: { passphrase: 'before' },
    });
    store.account.create(ALICE);
    store.close();
    const { database } = accountFiles(dir);
    const bytesBefore = readFileSync(database);
    const mtimeBefore = statSync(database).mtimeMs;

    await changePassphrase(fastOptions(sodium, dir), { passphrase: 'before' }, 'after');
    expect(readFileSync(database).equals(bytesBefore)).toBe(true);
    expect(statSync(database).mtimeMs).toBe(mtimeBefore);

    const old = await rejection(
      openAccountStore({ ...fastOptions(sodium, dir), credential: { passphrase: 'before' } }),
    );
    expect(old.code).toBe('STORE_WRONG_PASSPHRASE');
    const reopened = track(
      await openAccountStore({ ...fastOptions(sodium, dir), credential: { passphrase: 'after' } }),
    );
    expect(reopened.account.get()?.username).toBe('alice');
  });

  it('falls back to a passphrase when the keychain is basic_text', async () => {
    const dir = tempDir();
    const plaintextKeychain = new SecretKeychain(sodium, 'basic_text');
    const error = await rejection(
      createAccountStore({ ...fastOptions(sodium, dir), protection: { keychain: plaintextKeychain } }),
    );
    expect(error.code).toBe('STORE_KEYCHAIN_UNAVAILABLE');
    expect(accountStoreExists(dir)).toBe(false);

    track(
      await createAccountStore({ ...fastOptions(sodium, dir), protection: { passphrase: 'fallback' } }),
    ).close();
    expect(unlockMethods(fastOptions(sodium, dir))).toEqual(['passphrase']);
  });

  it('opens with the keychain alone when the account uses one', async () => {
    const dir = tempDir();
    const keychain = new SecretKeychain(sodium);
    const store = await createAccountStore({
      ...fastOptions(sodium, dir),
      protection: { keychain, passphrase: 'p' },
    });
    store.settings.set('theme', 'dark');
    store.close();
    const reopened = track(await openAccountStore({ ...fastOptions(sodium, dir), credential: { keychain } }));
    expect(reopened.settings.get('theme')).toBe('dark');
  });

  it('replaces what an interrupted set-up left (a database without a key file), and leaves nothing on failure', async () => {
    const dir = tempDir();
    const failed = await rejection(createAccountStore({ ...fastOptions(sodium, dir), protection: {} }));
    expect(failed.code).toBe('INVALID_ARGUMENT');
    const { database } = accountFiles(dir);
    expect(existsSync(database)).toBe(false);
    expect(accountStoreExists(dir)).toBe(false);

    writeFileSync(database, Buffer.alloc(4096, 1)); // an orphan nobody can read
    const store = track(
      await createAccountStore({ ...fastOptions(sodium, dir), protection: { passphrase: 'p' } }),
    );
    store.settings.set('ok', true);
    store.close();
    const reopened = track(
      await openAccountStore({ ...fastOptions(sodium, dir), credential: { passphrase: 'p' } }),
    );
    expect(reopened.settings.get('ok')).toBe(true);
  });

  it('refuses a second set-up over an existing account', async () => {
    const dir = tempDir();
    track(
      await createAccountStore({ ...fastOptions(sodium, dir), protection: { passphrase: 'one' } }),
    ).close();
    const error = await rejection(
      createAccountStore({ ...fastOptions(sodium, dir), protection: { passphrase: 'two' } }),
    );
    expect(error.code).toBe('ACCOUNT_EXISTS');
  });

  it('reports a database that does not belong to its key file as STORE_CORRUPT', async () => {
    const a = tempDir();
    const b = tempDir();
    (await createAccountStore({ ...fastOptions(sodium, a), protection: { passphrase: 'same' } })).close();
    (await createAccountStore({ ...fastOptions(sodium, b), protection: { passphrase: 'same' } })).close();
    copyFileSync(accountFiles(b).keyFile, accountFiles(a).keyFile);
    const error = await rejection(
      openAccountStore({ ...fastOptions(sodium, a), credential: { passphrase: 'same' } }),
    );
    expect(error.code).toBe('STORE_CORRUPT');
  });

  it('reports a missing or garbled database as STORE_CORRUPT', async () => {
    const dir = tempDir();
    (await createAccountStore({ ...fastOptions(sodium, dir), protection: { passphrase: 'p' } })).close();
    const { database } = accountFiles(dir);
    writeFileSync(database, Buffer.alloc(8192, 7));
    const garbled = await rejection(
      openAccountStore({ ...fastOptions(sodium, dir), credential: { passphrase: 'p' } }),
    );
    expect(garbled.code).toBe('STORE_CORRUPT');
    rmSync(database);
    const missing = await rejection(
      openAccountStore({ ...fastOptions(sodium, dir), credential: { passphrase: 'p' } }),
    );
    expect(missing.code).toBe('STORE_CORRUPT');
    expect(existsSync(database)).toBe(false);
  });
});
