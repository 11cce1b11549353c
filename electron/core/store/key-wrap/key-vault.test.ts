import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadSodium, type Sodium } from '../sodium';
import { makeTempDir, manualClock, SecretKeychain } from '../test-support';
import { KeyVault } from './key-vault';
import { minimumLimits } from './passphrase-wrap';

let sodium: Sodium;
const cleanups: Array<() => void> = [];
beforeAll(async () => {
  sodium = await loadSodium();
});
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

function vaultPath(): string {
  const temp = makeTempDir();
  cleanups.push(temp.remove);
  return join(temp.dir, 'parley.key');
}

function makeVault(path: string, clock = manualClock()): KeyVault {
  return new KeyVault(path, {
    sodium,
    clock: clock.now,
    pwhashLimits: minimumLimits(sodium),
    throttle: { freeAttempts: 2, baseDelayMs: 10_000, maxDelayMs: 60_000 },
  });
}

async function rejection(promise: Promise<unknown>): Promise<{ code: string; message: string }> {
  try {
    await promise;
  } catch (error) {
    return error as { code: string; message: string };
  }
  throw new Error('expected a rejection');
}

describe('passphrase wrapping', () => {
  it('unlocks the same random key with the right passphrase and never stores it in clear', async () => {
    const path = vaultPath();
    const key = await makeVault(path).create({ passphrase: 'correct horse' });
    const copy = Uint8Array.from(key);
    const unlocked = await makeVault(path).unlock({ passphrase: 'correct horse' });
    expect(sodium.memcmp(unlocked, copy)).toBe(true);
    expect(key.length).toBe(32);

    const text = readFileSync(path, 'utf8');
    const file = JSON.parse(text);
    expect(file.version).toBe(1);
    expect(file.wraps[0]).toMatchObject({ method: 'passphrase', cipher: 'xchacha20poly1305-ietf' });
    expect(file.wraps[0].kdf).toMatchObject({ algorithm: 'argon2id13', opsLimit: 1, memLimit: 8192 });
    for (const encoding of ['hex', 'base64'] as const) {
      const encoded =
        encoding === 'hex' ? sodium.to_hex(copy) : sodium.to_base64(copy, sodium.base64_variants.ORIGINAL);
      expect(text).not.toContain(encoded);
    }
    expect(Buffer.from(text).includes(Buffer.from(copy))).toBe(false);
  });

  it('refuses a wrong passphrase with STORE_WRONG_PASSPHRASE and counts it in the file', async () => {
    const path = vaultPath();
    await makeVault(path).create({ passphrase: 'right one' });
    const error = await rejection(makeVault(path).unlock({ passphrase: 'wrong one' }));
    expect(error.code).toBe('STORE_WRONG_PASSPHRASE');
    expect(error.message).not.toContain('wrong one');
    expect(JSON.parse(readFileSync(path, 'utf8')).throttle.failedAttempts).toBe(1);
  });

  it('treats the same passphrase in another Unicode normal form as the same passphrase', async () => {
    const path = vaultPath();
    await makeVault(path).create({ passphrase: 'caf\u00e9' });
    await expect(makeVault(path).unlock({ passphrase: 'cafe\u0301' })).resolves.toHaveLength(32);
  });

  it('throttles wrong passphrases across restarts, then resets after a success', async () => {
    const path = vaultPath();
    const clock = manualClock();
    await makeVault(path, clock).create({ passphrase: 'right one' });
    expect((await rejection(makeVault(path, clock).unlock({ passphrase: 'a' }))).code).toBe(
      'STORE_WRONG_PASSPHRASE',
    );
    expect((await rejection(makeVault(path, clock).unlock({ passphrase: 'b' }))).code).toBe(
      'STORE_WRONG_PASSPHRASE',
    );

    // A new KeyVault reads the file again, as the app does after a restart: still throttled, and
    // even the right passphrase must wait.
    const limited = await rejection(makeVault(path, clock).unlock({ passphrase: 'right one' }));
    expect(limited.code).toBe('RATE_LIMITED');
    expect(limited.message).toContain('10 seconds');

    clock.advance(4_000);
    expect((await rejection(makeVault(path, clock).unlock({ passphrase: 'right one' }))).message).toContain(
      '6 seconds',
    );
    clock.advance(6_000);
    // A third wrong one doubles the wait.
    expect((await rejection(makeVault(path, clock).unlock({ passphrase: 'c' }))).code).toBe(
      'STORE_WRONG_PASSPHRASE',
    );
    expect((await rejection(makeVault(path, clock).unlock({ passphrase: 'right one' }))).message).toContain(
      '20 seconds',
    );
    clock.advance(20_000);
    await expect(makeVault(path, clock).unlock({ passphrase: 'right one' })).resolves.toHaveLength(32);
    expect(JSON.parse(readFileSync(path, 'utf8')).throttle).toEqual({ failedAttempts: 0, nextAttemptAt: 0 });
  });

  it('changes the passphrase by re-wrapping the same key', async () => {
    const path = vaultPath();
    const key = Uint8Array.from(await makeVault(path).create({ passphrase: 'old passphrase' }));
    await makeVault(path).changePassphrase({ passphrase: 'old passphrase' }, 'new passphrase');
    expect((await rejection(makeVault(path).unlock({ passphrase: 'old passphrase' }))).code).toBe(
      'STORE_WRONG_PASSPHRASE',
    );
    expect(sodium.memcmp(await makeVault(path).unlock({ passphrase: 'new passphrase' }), key)).toBe(true);
  });

  it('refuses to change the passphrase without the current one', async () => {
    const path = vaultPath();
    await makeVault(path).create({ passphrase: 'old passphrase' });
    const error = await rejection(makeVault(path).changePassphrase({ passphrase: 'guess' }, 'mine now'));
    expect(error.code).toBe('STORE_WRONG_PASSPHRASE');
    await expect(makeVault(path).unlock({ passphrase: 'old passphrase' })).resolves.toHaveLength(32);
  });

  it('detects weakened KDF parameters in the file (they are bound to the ciphertext)', async () => {
    const path = vaultPath();
    const vault = new KeyVault(path, { sodium, pwhashLimits: { opsLimit: 2, memLimit: 8192 } });
    await vault.create({ passphrase: 'right one' });
    const file = JSON.parse(readFileSync(path, 'utf8'));
    file.wraps[0].kdf.opsLimit = 1;
    writeFileSync(path, JSON.stringify(file));
    expect((await rejection(vault.unlock({ passphrase: 'right one' }))).code).toBe('STORE_WRONG_PASSPHRASE');
  });

  it('reports a damaged, missing or newer key file clearly', async () => {
    const path = vaultPath();
    expect((await rejection(makeVault(path).unlock({ passphrase: 'x' }))).code).toBe('ACCOUNT_MISSING');
    writeFileSync(path, '{"version":1,"wraps":[]');
    expect((await rejection(makeVault(path).unlock({ passphrase: 'x' }))).code).toBe('STORE_CORRUPT');
    writeFileSync(path, JSON.stringify({ version: 1, wraps: [{ method: 'passphrase' }], throttle: {} }));
    expect((await rejection(makeVault(path).unlock({ passphrase: 'x' }))).code).toBe('STORE_CORRUPT');
    writeFileSync(path, JSON.stringify({ version: 2, wraps: [] }));
    expect((await rejection(makeVault(path).unlock({ passphrase: 'x' }))).code).toBe('UNSUPPORTED_VERSION');
  });

  it('refuses to overwrite an existing key file', async () => {
    const path = vaultPath();
    await makeVault(path).create({ passphrase: 'first' });
    expect((await rejection(makeVault(path).create({ passphrase: 'second' }))).code).toBe('ACCOUNT_EXISTS');
    await expect(makeVault(path).unlock({ passphrase: 'first' })).resolves.toHaveLength(32);
  });
});

describe('keychain wrapping', () => {
  it('unlocks with the keychain that wrapped the key, and with the passphrase beside it', async () => {
    const path = vaultPath();
    const keychain = new SecretKeychain(sodium);
    const key = Uint8Array.from(await makeVault(path).create({ passphrase: 'fallback', keychain }));
    expect(makeVault(path).methods()).toEqual(['passphrase', 'keychain']);
    expect(sodium.memcmp(await makeVault(path).unlock({ keychain }), key)).toBe(true);
    expect(sodium.memcmp(await makeVault(path).unlock({ passphrase: 'fallback' }), key)).toBe(true);
    const file = JSON.parse(readFileSync(path, 'utf8'));
    expect(file.wraps[1]).toMatchObject({ method: 'keychain', backend: 'gnome_libsecret' });
  });

  it("refuses Linux's basic_text backend and an unavailable keychain, creating nothing", async () => {
    const path = vaultPath();
    for (const keychain of [
      new SecretKeychain(sodium, 'basic_text'),
      new SecretKeychain(sodium, 'unknown'),
      new SecretKeychain(sodium, 'kwallet5', false),
    ]) {
      const error = await rejection(makeVault(path).create({ passphrase: 'p', keychain }));
      expect(error.code).toBe('STORE_KEYCHAIN_UNAVAILABLE');
      expect(makeVault(path).exists()).toBe(false);
    }
  });

  it('works where there is no backend to report (macOS, Windows)', async () => {
    const path = vaultPath();
    const inner = new SecretKeychain(sodium);
    const keychain = {
      isEncryptionAvailable: () => true,
      encryptString: (text: string) => inner.encryptString(text),
      decryptString: (data: Buffer) => inner.decryptString(data),
    };
    await makeVault(path).create({ keychain });
    await expect(makeVault(path).unlock({ keychain })).resolves.toHaveLength(32);
    expect(JSON.parse(readFileSync(path, 'utf8')).wraps[0].backend).toBeNull();
  });

  it('sends the user to the passphrase when the keychain cannot decrypt any more', async () => {
    const path = vaultPath();
    await makeVault(path).create({ passphrase: 'fallback', keychain: new SecretKeychain(sodium) });
    const reset = new SecretKeychain(sodium); // same backend, other secret: a reset keychain
    const error = await rejection(makeVault(path).unlock({ keychain: reset }));
    expect(error.code).toBe('STORE_KEYCHAIN_UNAVAILABLE');
    expect(error.message).toContain('passphrase');
    await expect(makeVault(path).unlock({ passphrase: 'fallback' })).resolves.toHaveLength(32);
  });

  it('adds and removes the keychain wrap, but never the last way in', async () => {
    const path = vaultPath();
    const keychain = new SecretKeychain(sodium);
    await makeVault(path).create({ passphrase: 'only' });
    expect((await rejection(makeVault(path).unlock({ keychain }))).code).toBe('STORE_KEYCHAIN_UNAVAILABLE');
    await makeVault(path).enableKeychain({ passphrase: 'only' }, keychain);
    await expect(makeVault(path).unlock({ keychain })).resolves.toHaveLength(32);
    makeVault(path).disableKeychain();
    expect(makeVault(path).methods()).toEqual(['passphrase']);

    const keychainOnly = vaultPath();
    await makeVault(keychainOnly).create({ keychain });
    expect(() => makeVault(keychainOnly).disableKeychain()).toThrow(/passphrase/);
    await makeVault(keychainOnly).changePassphrase({ keychain }, 'added later');
    await expect(makeVault(keychainOnly).unlock({ passphrase: 'added later' })).resolves.toHaveLength(32);
  });
});
