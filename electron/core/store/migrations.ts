/**
 * Numbered schema migrations. Each runs in its own transaction together with the version bump,
 * so a crash leaves the database at the previous version, never half-way. A database written by
 * a newer Parley is refused rather than guessed at.
 */
import { ParleyError } from '../../../shared/errors';
import type { SqliteDatabase } from './open-database';
import { schemaV1 } from './schema-v1';
import { schemaV2 } from './schema-v2';
import { schemaV3 } from './schema-v3';

export interface Migration {
  readonly version: number;
  readonly description: string;
  up(db: SqliteDatabase): void;
}

export const MIGRATIONS: readonly Migration[] = [schemaV1, schemaV2, schemaV3];

export function schemaVersion(db: SqliteDatabase): number {
  const table = db
    .prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'")
    .get();
  if (table === undefined) return 0;
  const row = db.prepare('SELECT version FROM schema_version WHERE id = 1').get() as
    | { version: number }
    | undefined;
  return row?.version ?? 0;
}

/** Brings the database up to the newest migration; returns the version it ends at. */
export function migrate(db: SqliteDatabase, migrations: readonly Migration[] = MIGRATIONS): number {
  checkOrder(migrations);
  const latest = migrations.at(-1)?.version ?? 0;
  const current = schemaVersion(db);
  if (current > latest) {
    throw new ParleyError(
      'UNSUPPORTED_VERSION',
      `This account's data was written by a newer version of Parley (schema ${current}; this version knows up to ${latest}). Update Parley to open it.`,
    );
  }
  for (const migration of migrations) {
    if (migration.version <= current) continue;
    db.transaction(() => {
      migration.up(db);
      db.exec(
        'CREATE TABLE IF NOT EXISTS schema_version (id INTEGER PRIMARY KEY CHECK (id = 1), version INTEGER NOT NULL)',
      );
      db.prepare(
        'INSERT INTO schema_version (id, version) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET version = excluded.version',
      ).run(migration.version);
    }).immediate();
  }
  return Math.max(current, latest);
}

function checkOrder(migrations: readonly Migration[]): void {
  migrations.forEach((migration, index) => {
    if (migration.version !== index + 1) {
      throw new ParleyError('INTERNAL', `Store migration ${index + 1} is missing or out of order.`);
    }
  });
}
