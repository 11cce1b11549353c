/**
 * Argon2id on its own worker thread, as the app runs it: the same key as on the calling thread,
 * so a key file written by one opens with the other; a wrong passphrase is still refused; and a
 * derivation libsodium refuses comes back as an error, not a hang or a crash.
 */
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { coreWorkerScript } from '../../workers/core-worker-script';
import { generateDatabaseKey } from '../database-key';
import { loadSodium, type Sodium } from '../sodium';
import { makeTempDir } from '../test-support';
import { KeyVault } from './key-vault';
import { inThreadKdf, type PassphraseKdf, workerKdf } from './passphrase-kdf';
import { minimumLimits } from './passphrase-wrap';

let sodium: Sodium;
const cleanups: Array<() => void> = [];
beforeAll(async () => {
  sodium = await loadSodium();
});
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

function vault(path: string, kdf: PassphraseKdf): KeyVault {
  return new KeyVault(path, { sodium, kdf, pwhashLimits: minimumLimits(sodium) });
}

describe('the passphrase KDF on a worker thread', () => {
  it('derives the same key as the calling thread', async () => {
    const passphrase = new TextEncoder().encode('correct horse battery staple');
    const salt = sodium.randombytes_buf(sodium.crypto_pwhash_SALTBYTES);
    const limits = minimumLimits(sodium);
    const there = await workerKdf(coreWorkerScript())(passphrase, salt, limits, 32);
    const here = await inThreadKdf(sodium)(passphrase, salt, limits, 32);
    expect(Buffer.from(there).equals(Buffer.from(here))).toBe(true);
    // The caller's bytes are its own: the worker had a copy.
    expect(new TextDecoder().decode(passphrase)).toBe('correct horse battery staple');
  });

  it('writes key files the calling thread opens, and the other way round; refuses a wrong passphrase', async () => {
    const temp = makeTempDir();
    cleanups.push(temp.remove);
    const worker = workerKdf(coreWorkerScript());
    const key = generateDatabaseKey(sodium);
    const expected = Uint8Array.from(key);
    const path = join(temp.dir, 'parley.key');
    await vault(path, worker).create({ passphrase: 'tränen im regen' }, key);
    expect(
      Buffer.from(await vault(path, inThreadKdf(sodium)).unlock({ passphrase: 'tränen im regen' })),
    ).toEqual(Buffer.from(expected));
    await expect(vault(path, worker).unlock({ passphrase: 'tranen im regen' })).rejects.toMatchObject({
      code: 'STORE_WRONG_PASSPHRASE',
    });
    await vault(path, inThreadKdf(sodium)).changePassphrase({ passphrase: 'tränen im regen' }, 'new words');
    expect(Buffer.from(await vault(path, worker).unlock({ passphrase: 'new words' }))).toEqual(
      Buffer.from(expected),
    );
  });

  it('reports limits libsodium refuses as an error', async () => {
    const salt = sodium.randombytes_buf(sodium.crypto_pwhash_SALTBYTES);
    await expect(
      workerKdf(coreWorkerScript())(new Uint8Array(3), salt, { opsLimit: 0, memLimit: 1 }, 32),
    ).rejects.toMatchObject({ code: 'INTERNAL' });
  });
});
