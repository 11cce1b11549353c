/**
 * The PostgreSQL store's schema, versioned in `relay_schema`. Several relay nodes may start at
 * once, so migrations run under an advisory lock.
 */
import type { PoolClient } from 'pg';
import { ParleyError } from '../../shared/errors';

/** Advisory lock keys (arbitrary constants, unique to the relay). */
export const MIGRATION_LOCK = 7_464_021;
export const AUDIT_LOCK = 7_464_022;

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
    created_at BIGINT NOT NULL
  );
  CREATE INDEX users_by_display_name ON users (display_name_folded text_pattern_ops);
  CREATE TABLE devices (
    row_id BIGSERIAL PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users (user_id),
    device_id INTEGER NOT NULL,
    identity_key BYTEA NOT NULL UNIQUE,
    created_at BIGINT NOT NULL,
    last_seen_at BIGINT,
    revoked_at BIGINT,
    mailbox_count INTEGER NOT NULL DEFAULT 0,
    mailbox_bytes BIGINT NOT NULL DEFAULT 0,
    UNIQUE (user_id, device_id)
  );
  CREATE TABLE invitations (
    code_hash BYTEA PRIMARY KEY,
    username TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
  );
  CREATE TABLE sessions (
    token_hash BYTEA PRIMARY KEY,
    device_row BIGINT NOT NULL REFERENCES devices (row_id),
    expires_at BIGINT NOT NULL
  );
  CREATE TABLE signed_prekeys (
    device_row BIGINT PRIMARY KEY REFERENCES devices (row_id),
    key_id BIGINT NOT NULL,
    public_key BYTEA NOT NULL,
    signature BYTEA NOT NULL
  );
  CREATE TABLE one_time_prekeys (
    id BIGSERIAL PRIMARY KEY,
    device_row BIGINT NOT NULL REFERENCES devices (row_id),
    key_id BIGINT NOT NULL,
    public_key BYTEA NOT NULL,
    UNIQUE (device_row, key_id)
  );
  CREATE TABLE last_resort_kem_prekeys (
    device_row BIGINT PRIMARY KEY REFERENCES devices (row_id),
    key_id BIGINT NOT NULL,
    public_key BYTEA NOT NULL,
    signature BYTEA NOT NULL
  );
  CREATE TABLE one_time_kem_prekeys (
    id BIGSERIAL PRIMARY KEY,
    device_row BIGINT NOT NULL REFERENCES devices (row_id),
    key_id BIGINT NOT NULL,
    public_key BYTEA NOT NULL,
    signature BYTEA NOT NULL,
    UNIQUE (device_row, key_id)
  );
  CREATE TABLE envelopes (
    id BIGSERIAL PRIMARY KEY,
    device_row BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    bytes BYTEA NOT NULL
  );
  CREATE INDEX envelopes_by_device ON envelopes (device_row, id);
  CREATE INDEX envelopes_by_expiry ON envelopes (expires_at);
  CREATE TABLE blobs (
    id TEXT PRIMARY KEY,
    token_hash BYTEA NOT NULL,
    owner_user_id TEXT NOT NULL,
    owner_device_id INTEGER NOT NULL,
    size BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    complete BOOLEAN NOT NULL DEFAULT FALSE
  );
  CREATE INDEX blobs_by_expiry ON blobs (expires_at);
  CREATE TABLE audit_events (
    seq BIGINT PRIMARY KEY,
    at BIGINT NOT NULL,
    type TEXT NOT NULL,
    user_id TEXT,
    device_id INTEGER,
    actor TEXT NOT NULL,
    detail TEXT NOT NULL,
    hash TEXT NOT NULL
  );
  `,
];

export async function migratePostgres(client: PoolClient): Promise<void> {
  await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
  try {
    await client.query('CREATE TABLE IF NOT EXISTS relay_schema (version INTEGER NOT NULL)');
    const { rows } = await client.query<{ version: number }>('SELECT version FROM relay_schema');
    let version = rows[0]?.version ?? 0;
    if (rows.length === 0) await client.query('INSERT INTO relay_schema (version) VALUES (0)');
    if (version > MIGRATIONS.length) {
      throw new ParleyError(
        'UNSUPPORTED_VERSION',
        `The relay database has schema version ${version}, newer than this relay knows; run a newer relay.`,
      );
    }
    for (; version < MIGRATIONS.length; version++) {
      await client.query('BEGIN');
      try {
        await client.query(MIGRATIONS[version]!);
        await client.query('UPDATE relay_schema SET version = $1', [version + 1]);
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK');
        throw error;
      }
    }
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]);
  }
}
