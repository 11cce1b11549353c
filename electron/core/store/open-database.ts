/**
 * Opens one account's database in SQLCipher mode with its raw 32-byte key and sets the pragmas the
 * store relies on. A wrong key is only noticed at the first read (SQLITE_NOTADB); since the key
 * itself was authenticated when it was unwrapped, that means a damaged or mismatched file.
 */
import Database from 'better-sqlite3-multiple-ciphers';
import { ParleyError } from '../../../shared/errors';
import { type DatabaseKey, sqlcipherRawKey } from './database-key';
import { sqliteCode } from './sqlite-error';

export type SqliteDatabase = Database.Database;

export function openEncryptedDatabase(path: string, key: DatabaseKey): SqliteDatabase {
  let db: SqliteDatabase;
  try {
    db = new Database(path);
  } catch (error) {
    throw new ParleyError(
      'UNAVAILABLE',
      'The local database file could not be opened. Check that the data folder exists and is writable.',
      { cause: error },
    );
  }
  const rawKey = sqlcipherRawKey(key);
  try {
    db.pragma(`cipher='sqlcipher'`);
    db.key(rawKey);
    // The first read decrypts page 1: this is where a wrong key or a foreign file shows.
    db.prepare('SELECT count(*) FROM sqlite_master').get();
    // WAL: readers never block the writer; FULL: a committed message survives a power cut, which
    // matters because the relay is acknowledged only after the commit.
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.pragma('secure_delete = ON');
    db.pragma('foreign_keys = ON');
    return db;
  } catch (error) {
    db.close();
    throw toOpenError(error);
  } finally {
    rawKey.fill(0);
  }
}

function toOpenError(error: unknown): ParleyError {
  if (error instanceof ParleyError) return error;
  const code = sqliteCode(error);
  if (code === 'SQLITE_NOTADB' || code?.startsWith('SQLITE_CORRUPT')) {
    return new ParleyError(
      'STORE_CORRUPT',
      'The local database cannot be read with its key: the file is damaged or belongs to another key file. Restore it from a backup or set up this device again.',
      { cause: error },
    );
  }
  return new ParleyError(
    'UNAVAILABLE',
    'The local database could not be opened. Close other copies of Parley and try again.',
    { cause: error },
  );
}
