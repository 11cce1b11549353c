import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type DatabaseKey, generateDatabaseKey } from './database-key';
import { MIGRATIONS, type Migration, migrate, schemaVersion } from './migrations';
import { openEncryptedDatabase } from './open-database';
import { schemaV1 } from './schema-v1';
import { loadSodium, type Sodium } from './sodium';
import { Store } from './store';
import { makeTempDir } from './test-support';

let sodium: Sodium;
const cleanups: Array<() => void> = [];
beforeAll(async () => {
  sodium = await loadSodium();
});
afterEach(() => {
  for (const cleanup of cleanups.splice(0).reverse()) cleanup();
});

function fresh(): { path: string; key: DatabaseKey } {
  const temp = makeTempDir();
  cleanups.push(temp.remove);
  return { path: join(temp.dir, 'parley.db'), key: generateDatabaseKey(sodium) };
}

function tables(path: string, key: DatabaseKey): string[] {
  const db = openEncryptedDatabase(path, key);
  try {
    return db
      .prepare("SELECT name FROM sqlite_master WHERE type IN ('table') ORDER BY name")
      .pluck()
      .all() as string[];
  } finally {
    db.close();
  }
}

describe('migrations', () => {
  it('builds the whole schema on an empty database and records its version', () => {
    const { path, key } = fresh();
    Store.open(path, key).close();
    const names = tables(path, key);
    for (const table of [
      'account',
      'identity',
      'signed_prekeys',
      'one_time_prekeys',
      'kem_prekeys',
      'contacts',
      'contact_devices',
      'sessions',
      'conversations',
      'messages',
      'messages_fts',
      'outbox',
      'seen_messages',
      'settings',
      'schema_version',
    ]) {
      expect(names).toContain(table);
    }
    const db = openEncryptedDatabase(path, key);
    expect(schemaVersion(db)).toBe(MIGRATIONS.length);
    db.close();
  });

  it('sets WAL, secure_delete and foreign keys on every open', () => {
    const { path, key } = fresh();
    const db = openEncryptedDatabase(path, key);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('secure_delete', { simple: true })).toBe(1);
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    db.close();
  });

  it('runs only the migrations a database has not had yet', () => {
    const { path, key } = fresh();
    let runs = 0;
    const counting: Migration = { version: 2, description: 'test', up: () => void runs++ };
    const db = openEncryptedDatabase(path, key);
    expect(migrate(db, [schemaV1, counting])).toBe(2);
    expect(migrate(db, [schemaV1, counting])).toBe(2);
    expect(runs).toBe(1);
    db.close();
  });

  it('rolls a failing migration back entirely and keeps the previous version', () => {
    const { path, key } = fresh();
    const broken: Migration = {
      version: 2,
      description: 'fails half-way',
      up(db) {
        db.exec('CREATE TABLE half_done (x)');
        throw new Error('disk full, say');
      },
    };
    const db = openEncryptedDatabase(path, key);
    expect(() => migrate(db, [schemaV1, broken])).toThrow('disk full');
    expect(schemaVersion(db)).toBe(1);
    expect(db.prepare("SELECT 1 FROM sqlite_master WHERE name = 'half_done'").get()).toBeUndefined();
    db.close();
  });

  it('refuses a database written by a newer version, with a clear error', () => {
    const { path, key } = fresh();
    Store.open(path, Uint8Array.from(key) as DatabaseKey).close();
    const db = openEncryptedDatabase(path, key);
    db.prepare('UPDATE schema_version SET version = 99').run();
    db.close();
    try {
      Store.open(path, key);
      expect.unreachable();
    } catch (error) {
      expect(error).toMatchObject({ code: 'UNSUPPORTED_VERSION' });
      expect((error as Error).message).toMatch(/newer version of Parley/);
    }
  });

  it('turns a wrong key into STORE_CORRUPT at open, not at some later query', () => {
    const { path, key } = fresh();
    Store.open(path, key).close();
    expect(() => openEncryptedDatabase(path, generateDatabaseKey(sodium))).toThrow(
      expect.objectContaining({ code: 'STORE_CORRUPT' }),
    );
  });
});
