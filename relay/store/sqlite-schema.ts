/**
 * The SQLite store's schema, versioned by `PRAGMA user_version`. Integer row ids link devices to
 * what they own; envelope ids use AUTOINCREMENT so an id is never handed out twice, even after
 * the newest envelopes were deleted.
 */
import type BetterSqlite3 from 'better-sqlite3-multiple-ciphers';
import { ParleyError } from '../../shared/errors';

const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE users (
    user_id TEXT PRIMARY KEY,
    username TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL,
    display_name_folded TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('active', 'deactivated')),
    external_id TEXT UNIQUE,
    next_device_id INTEGER NOT NULL,
    created_at INTEGER NOT NULL
  );
  CREATE TABLE devices (
    row_id INTEGER PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users (user_id),
    device_id INTEGER NOT NULL,
    identity_key BLOB NOT NULL UNIQUE,
    created_at INTEGER NOT NULL,
    last_seen_at INTEGER,
    revoked_at INTEGER,
    mailbox_count INTEGER NOT NULL DEFAULT 0,
    mailbox_bytes INTEGER NOT NULL DEFAULT 0,
    UNIQUE (user_id, device_id)
  );
  CREATE TABLE invitations (
    code_hash BLOB PRIMARY KEY,
    username TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
  );
  CREATE TABLE sessions (
    token_hash BLOB PRIMARY KEY,
    device_row INTEGER NOT NULL REFERENCES devices (row_id),
    expires_at INTEGER NOT NULL
  );
  CREATE TABLE signed_prekeys (
    device_row INTEGER PRIMARY KEY REFERENCES devices (row_id),
    key_id INTEGER NOT NULL,
    public_key BLOB NOT NULL,
    signature BLOB NOT NULL
  );
  CREATE TABLE one_time_prekeys (
    id INTEGER PRIMARY KEY,
    device_row INTEGER NOT NULL REFERENCES devices (row_id),
    key_id INTEGER NOT NULL,
    public_key BLOB NOT NULL,
    UNIQUE (device_row, key_id)
  );
  CREATE TABLE last_resort_kem_prekeys (
    device_row INTEGER PRIMARY KEY REFERENCES devices (row_id),
    key_id INTEGER NOT NULL,
    public_key BLOB NOT NULL,
    signature BLOB NOT NULL
  );
  CREATE TABLE one_time_kem_prekeys (
    id INTEGER PRIMARY KEY,
    device_row INTEGER NOT NULL REFERENCES devices (row_id),
    key_id INTEGER NOT NULL,
    public_key BLOB NOT NULL,
    signature BLOB NOT NULL,
    UNIQUE (device_row, key_id)
  );
  CREATE TABLE envelopes (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    device_row INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    bytes BLOB NOT NULL
  );
  CREATE INDEX envelopes_by_device ON envelopes (device_row, id);
  CREATE INDEX envelopes_by_expiry ON envelopes (expires_at);
  CREATE TABLE blobs (
    id TEXT PRIMARY KEY,
    token_hash BLOB NOT NULL,
    owner_user_id TEXT NOT NULL,
    owner_device_id INTEGER NOT NULL,
    size INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    complete INTEGER NOT NULL DEFAULT 0
  );
  CREATE INDEX blobs_by_expiry ON blobs (expires_at);
  CREATE TABLE audit_events (
    seq INTEGER PRIMARY KEY,
    at INTEGER NOT NULL,
    type TEXT NOT NULL,
    user_id TEXT,
    device_id INTEGER,
    actor TEXT NOT NULL,
    detail TEXT NOT NULL,
    hash TEXT NOT NULL
  );
  `,
];

export function migrateSqlite(db: BetterSqlite3.Database): void {
  const version = db.pragma('user_version', { simple: true }) as number;
  if (version > MIGRATIONS.length) {
    throw new ParleyError(
      'UNSUPPORTED_VERSION',
      `The relay database has schema version ${version}, newer than this relay knows; run a newer relay.`,
    );
  }
  for (let v = version; v < MIGRATIONS.length; v++) {
    db.transaction(() => {
      db.exec(MIGRATIONS[v]!);
      db.pragma(`user_version = ${v + 1}`);
    }).immediate();
  }
}
