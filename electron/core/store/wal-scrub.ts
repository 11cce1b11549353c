/**
 * After a deletion, copies the WAL into the database (where secure_delete has zeroed the freed
 * cells) and truncates the WAL, so the deleted rows' old page images do not linger in the -wal
 * file. Inside an outer transaction this is left to the caller, after its commit.
 */
import type { SqliteDatabase } from './open-database';

export function scrubWal(db: SqliteDatabase): void {
  if (db.inTransaction) return;
  db.pragma('wal_checkpoint(TRUNCATE)');
}
