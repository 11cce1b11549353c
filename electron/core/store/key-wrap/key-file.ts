/**
 * The small JSON file beside an account's database that holds its database key, wrapped once
 * per unlock method (README.md, Key file). It never holds the key in clear. It also carries the
 * passphrase retry throttle, so a restart does not reset it.
 */
import { closeSync, fsyncSync, openSync, readFileSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { z } from 'zod';
import { ParleyError } from '../../../../shared/errors';

export const KEY_FILE_VERSION = 1;

const base64 = z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/);

// Bounds keep a damaged or tampered file from asking Argon2id for absurd work or memory.
export const MAX_OPS_LIMIT = 64;
export const MAX_MEM_LIMIT = 1024 * 1024 * 1024;

const passphraseWrap = z.object({
  method: z.literal('passphrase'),
  kdf: z.object({
    algorithm: z.literal('argon2id13'),
    opsLimit: z.number().int().min(1).max(MAX_OPS_LIMIT),
    memLimit: z.number().int().min(8192).max(MAX_MEM_LIMIT),
    salt: base64,
  }),
  cipher: z.literal('xchacha20poly1305-ietf'),
  nonce: base64,
  ciphertext: base64,
});

const keychainWrap = z.object({
  method: z.literal('keychain'),
  /** Which OS store Electron used (Linux), for a clear message if it changes. */
  backend: z.string().max(64).nullable(),
  ciphertext: base64,
});

const throttle = z.object({
  failedAttempts: z.number().int().min(0),
  nextAttemptAt: z.number().int().min(0),
});

const keyFile = z.object({
  version: z.literal(KEY_FILE_VERSION),
  wraps: z
    .array(z.discriminatedUnion('method', [passphraseWrap, keychainWrap]))
    .min(1)
    .max(2)
    .refine((wraps) => new Set(wraps.map((w) => w.method)).size === wraps.length, 'one wrap per method'),
  throttle,
});

export type PassphraseWrap = z.infer<typeof passphraseWrap>;
export type KeychainWrap = z.infer<typeof keychainWrap>;
export type KeyWrap = PassphraseWrap | KeychainWrap;
export type ThrottleState = z.infer<typeof throttle>;
export type KeyFile = z.infer<typeof keyFile>;

export function readKeyFile(path: string): KeyFile {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new ParleyError('ACCOUNT_MISSING', 'There is no account on this device yet. Set one up first.', {
        cause: error,
      });
    }
    throw new ParleyError(
      'UNAVAILABLE',
      'The key file of this account could not be read. Check the data folder’s permissions.',
      { cause: error },
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw damaged(error);
  }
  const version = (json as { version?: unknown } | null)?.version;
  if (typeof version === 'number' && version > KEY_FILE_VERSION) {
    throw new ParleyError(
      'UNSUPPORTED_VERSION',
      'This account was set up by a newer version of Parley. Update Parley to open it.',
    );
  }
  const parsed = keyFile.safeParse(json);
  if (!parsed.success) throw damaged(parsed.error);
  return parsed.data;
}

/** Replaces the key file atomically (write, fsync, rename): a crash leaves the old or the new one. */
export function writeKeyFile(path: string, file: KeyFile): void {
  const checked = keyFile.parse(file);
  const temp = `${path}.${process.pid}.tmp`;
  const fd = openSync(temp, 'w', 0o600);
  try {
    writeSync(fd, `${JSON.stringify(checked, null, 2)}\n`);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  try {
    renameSync(temp, path);
  } catch (error) {
    unlinkSync(temp);
    throw error;
  }
  syncDirectory(dirname(path));
}

function syncDirectory(dir: string): void {
  // Makes the rename itself durable; not possible on Windows, where rename is already durable enough.
  if (process.platform === 'win32') return;
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

function damaged(cause: unknown): ParleyError {
  return new ParleyError(
    'STORE_CORRUPT',
    'The key file of this account is damaged, so its messages cannot be unlocked. Restore it from a backup or set up this device again.',
    { cause },
  );
}
