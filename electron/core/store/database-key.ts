/**
 * The random 32-byte key of one account's SQLCipher database. It never leaves the main process,
 * is never written in clear, and is wiped (`sodium.memzero`) as soon as the database is open.
 */
import { ParleyError } from '../../../shared/errors';
import type { Sodium } from './sodium';

export const DATABASE_KEY_BYTES = 32;

export type DatabaseKey = Uint8Array & { readonly __brand: 'DatabaseKey' };

export function generateDatabaseKey(sodium: Sodium): DatabaseKey {
  return sodium.randombytes_buf(DATABASE_KEY_BYTES) as DatabaseKey;
}

export function asDatabaseKey(bytes: Uint8Array): DatabaseKey {
  if (bytes.length !== DATABASE_KEY_BYTES) {
    throw new ParleyError(
      'STORE_CORRUPT',
      'The key of the local database has the wrong size; the key file is damaged.',
    );
  }
  return bytes as DatabaseKey;
}

/**
 * SQLCipher's raw-key form `x'<64 hex digits>'`, which skips SQLCipher's own PBKDF2 (the key is
 * already uniformly random). Built in a Buffer, not a string, so the caller can wipe it.
 */
export function sqlcipherRawKey(key: DatabaseKey): Buffer {
  const hexDigits = '0123456789abcdef';
  const out = Buffer.alloc(3 + key.length * 2);
  out[0] = 0x78; // x
  out[1] = 0x27; // '
  for (let i = 0; i < key.length; i++) {
    const byte = key[i]!;
    out[2 + i * 2] = hexDigits.charCodeAt(byte >> 4);
    out[3 + i * 2] = hexDigits.charCodeAt(byte & 15);
  }
  out[out.length - 1] = 0x27;
  return out;
}
