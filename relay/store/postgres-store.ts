/**
 * The PostgreSQL store, for several relay nodes sharing one database (chosen by a connection
 * string). Same behaviour as the SQLite store, checked by the same test suite. Where nodes race,
 * rows are locked: mailbox counters with FOR UPDATE (in row order, so two nodes cannot deadlock),
 * one-time prekeys with FOR UPDATE SKIP LOCKED (concurrent fetches take different keys), and the
 * audit chain with an advisory lock.
 */
import pg from 'pg';
import type { DeviceAddress } from '../../shared/address';
import type { PrekeyBundle, PrekeyCounts, PrekeyUpload } from '../../shared/prekeys';
import { DEVICE_COLUMNS, type DeviceRow, toDevice, toUser, type UserRow } from './account-rows';
import { AUDIT_GENESIS_HASH, type AuditEventFields, auditHash } from './audit-chain';
import { addressKey, noteRemoved, planBatch, type RecipientState, refusalFor } from './commit-plan';
import { likePrefixPatterns } from './directory-search';
import { AUDIT_LOCK, migratePostgres } from './postgres-schema';
import type {
  AuditEvent,
  AuditEventType,
  BatchOutcome,
  BlobRecord,
  CommitGroup,
  CommitResult,
  MailboxLimits,
  NewUser,
  RelayStore,
  StoredEnvelope,
  UserStatus,
} from './relay-store';
import {
  identityKeyTaken,
  invitationInvalid,
  MAX_STORED_ONE_TIME_KEM_PREKEYS,
  MAX_STORED_ONE_TIME_PREKEYS,
  noSuchUser,
  tooManyPrekeys,
  unknownDevice,
  userInactive,
  usernameTaken,
} from './store-errors';

type Queryable = pg.Pool | pg.PoolClient;

interface KeyRow {
  key_id: number;
  public_key: Buffer;
  signature: Buffer;
}

const INT8_OID = 20;

/** BIGINT columns hold milliseconds and row ids, all below 2^53: read them as numbers. */
const types = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === INT8_OID && format !== 'binary') return (value: string) => Number(value);
    return pg.types.getTypeParser(oid, format);
  },
} as pg.CustomTypesConfig;

function uniqueViolation(error: unknown, constraint: string): boolean {
  const e = error as { code?: string; constraint?: string };
  return e.code === '23505' && e.constraint === constraint;
}

function bytes(value: Uint8Array): Buffer {
  return Buffer.from(value.buffer, value.byteOffset, value.byteLength);
}

export interface PostgresStoreOptions {
  readonly maxConnections?: number;
}

export async function openPostgresStore(
  url: string,
  options: PostgresStoreOptions = {},
): Promise<RelayStore> {
  const pool = new pg.Pool({ connectionString: url, max: options.maxConnections ?? 10, types });
  // An idle client that loses its server emits 'error' on the pool; without a listener it would crash the relay.
  pool.on('error', () => {});
  const setup = await pool.connect();
  try {
    await migratePostgres(setup);
  } finally {
    setup.release();
  }

  async function transaction<T>(fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      const result = await fn(client);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {});
      throw error;
    } finally {
      client.release();
    }
  }

  async function appendAudit(client: pg.PoolClient, fields: Omit<AuditEventFields, 'seq'>): Promise<void> {
    await client.query('SELECT pg_advisory_xact_lock($1)', [AUDIT_LOCK]);
    const { rows } = await client.query<{ seq: number; hash: string }>(
      'SELECT seq, hash FROM audit_events ORDER BY seq DESC LIMIT 1',
    );
    const event: AuditEventFields = { ...fields, seq: (rows[0]?.seq ?? 0) + 1 };
    await client.query(
      `INSERT INTO audit_events (seq, at, type, user_id, device_id, actor, detail, hash)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [
        event.seq,
        event.at,
        event.type,
        event.userId,
        event.deviceId,
        event.actor,
        JSON.stringify(event.detail),
        auditHash(rows[0]?.hash ?? AUDIT_GENESIS_HASH, event),
      ],
    );
  }

  async function deviceRow(db: Queryable, address: DeviceAddress): Promise<DeviceRow | undefined> {
    const { rows } = await db.query<DeviceRow>(
      `SELECT ${DEVICE_COLUMNS} FROM devices d JOIN users u ON u.user_id = d.user_id
       WHERE d.user_id = $1 AND d.device_id = $2`,
      [address.userId, address.deviceId],
    );
    return rows[0];
  }

  /** Device row ids never change, so they are cached. */
  const rowCache = new Map<string, number>();
  async function rowOf(address: DeviceAddress): Promise<number | undefined> {
    const key = addressKey(address);
    let row = rowCache.get(key);
    if (row === undefined) {
      row = (await deviceRow(pool, address))?.row_id;
      if (row !== undefined) rowCache.set(key, row);
    }
    return row;
  }

  async function counts(db: Queryable, row: number): Promise<PrekeyCounts> {
    const { rows } = await db.query<{ ec: number; kem: number }>(
      `SELECT (SELECT count(*)::int FROM one_time_prekeys WHERE device_row = $1) AS ec,
              (SELECT count(*)::int FROM one_time_kem_prekeys WHERE device_row = $1) AS kem`,
      [row],
    );
    return { oneTimePrekeys: rows[0]!.ec, oneTimeKemPrekeys: rows[0]!.kem };
  }

  async function purgeDevices(client: pg.PoolClient, rows: readonly number[]): Promise<void> {
    for (const table of [
      'envelopes',
      'sessions',
      'signed_prekeys',
      'one_time_prekeys',
      'last_resort_kem_prekeys',
      'one_time_kem_prekeys',
    ]) {
      await client.query(`DELETE FROM ${table} WHERE device_row = ANY($1::bigint[])`, [rows]);
    }
    await client.query(
      'UPDATE devices SET mailbox_count = 0, mailbox_bytes = 0 WHERE row_id = ANY($1::bigint[])',
      [rows],
    );
  }

  async function insertDevice(
    client: pg.PoolClient,
    userId: string,
    deviceId: number,
    identityKey: Uint8Array,
    now: number,
  ): Promise<void> {
    try {
      await client.query(
        'INSERT INTO devices (user_id, device_id, identity_key, created_at) VALUES ($1, $2, $3, $4)',
        [userId, deviceId, bytes(identityKey), now],
      );
    } catch (error) {
      if (uniqueViolation(error, 'devices_identity_key_key')) throw identityKeyTaken();
      throw error;
    }
  }

  return {
    kind: 'postgres',

    async ping() {
      await pool.query('SELECT 1');
    },

    async createInvitation(invitation) {
      await transaction(async (client) => {
        await client.query(
          'INSERT INTO invitations (code_hash, username, created_at, expires_at) VALUES ($1, $2, $3, $4)',
          [bytes(invitation.codeHash), invitation.username, invitation.createdAt, invitation.expiresAt],
        );
        await appendAudit(client, {
          at: invitation.createdAt,
          type: 'invitation.created',
          userId: null,
          deviceId: null,
          actor: invitation.actor,
          detail: { username: invitation.username, expiresAt: invitation.expiresAt },
        });
      });
    },

    async registerUser(user: NewUser) {
      return transaction(async (client) => {
        if (user.invitationCodeHash) {
          const { rows } = await client.query<{ username: string; expires_at: number }>(
            'SELECT username, expires_at FROM invitations WHERE code_hash = $1 FOR UPDATE',
            [bytes(user.invitationCodeHash)],
          );
          const invitation = rows[0];
          if (!invitation || invitation.expires_at <= user.now || invitation.username !== user.username) {
            throw invitationInvalid();
          }
          await client.query('DELETE FROM invitations WHERE code_hash = $1', [
            bytes(user.invitationCodeHash),
          ]);
        }
        try {
          await client.query(
            `INSERT INTO users (user_id, username, display_name, display_name_folded, status, next_device_id, created_at)
             VALUES ($1, $2, $3, $4, 'active', 2, $5)`,
            [user.userId, user.username, user.displayName, user.displayName.toLowerCase(), user.now],
          );
        } catch (error) {
          if (uniqueViolation(error, 'users_username_key')) throw usernameTaken();
          throw error;
        }
        await insertDevice(client, user.userId, 1, user.identityKey, user.now);
        await appendAudit(client, {
          at: user.now,
          type: 'user.registered',
          userId: user.userId,
          deviceId: 1,
          actor: user.actor,
          detail: {
            username: user.username,
            via: user.invitationCodeHash ? 'invitation' : 'open-registration',
          },
        });
        return { userId: user.userId, deviceId: 1 };
      });
    },

    async addDevice(userId, identityKey, now, actor) {
      return transaction(async (client) => {
        const { rows } = await client.query<{ device_id: number }>(
          `UPDATE users SET next_device_id = next_device_id + 1 WHERE user_id = $1 AND status = 'active'
           RETURNING next_device_id - 1 AS device_id`,
          [userId],
        );
        const deviceId = rows[0]?.device_id;
        if (deviceId === undefined) {
          const exists = await client.query('SELECT 1 FROM users WHERE user_id = $1', [userId]);
          throw exists.rowCount ? userInactive() : noSuchUser();
        }
        await insertDevice(client, userId, deviceId, identityKey, now);
        await appendAudit(client, { at: now, type: 'device.added', userId, deviceId, actor, detail: {} });
        return { userId, deviceId };
      });
    },

    async getUser(userId) {
      const { rows } = await pool.query<UserRow>('SELECT * FROM users WHERE user_id = $1', [userId]);
      return rows[0] ? toUser(rows[0]) : null;
    },

    async getUserByUsername(username) {
      const { rows } = await pool.query<UserRow>('SELECT * FROM users WHERE username = $1', [username]);
      return rows[0] ? toUser(rows[0]) : null;
    },

    async getDevice(address) {
      const row = await deviceRow(pool, address);
      return row ? toDevice(row) : null;
    },

    async listActiveDevices(userId) {
      const { rows } = await pool.query<DeviceRow>(
        `SELECT ${DEVICE_COLUMNS} FROM devices d JOIN users u ON u.user_id = d.user_id
         WHERE d.user_id = $1 AND d.revoked_at IS NULL AND u.status = 'active' ORDER BY d.device_id`,
        [userId],
      );
      return rows.map(toDevice);
    },

    async touchDevice(address, now) {
      await pool.query('UPDATE devices SET last_seen_at = $1 WHERE user_id = $2 AND device_id = $3', [
        now,
        address.userId,
        address.deviceId,
      ]);
    },

    async revokeDevice(address, now, actor) {
      return transaction(async (client) => {
        const { rows } = await client.query<{ row_id: number }>(
          `UPDATE devices SET revoked_at = $1 WHERE user_id = $2 AND device_id = $3 AND revoked_at IS NULL
           RETURNING row_id`,
          [now, address.userId, address.deviceId],
        );
        if (!rows[0]) return false;
        await purgeDevices(client, [rows[0].row_id]);
        await appendAudit(client, {
          at: now,
          type: 'device.revoked',
          userId: address.userId,
          deviceId: address.deviceId,
          actor,
          detail: {},
        });
        return true;
      });
    },

    async deactivateUser(userId, now, actor) {
      return transaction(async (client) => {
        const { rows } = await client.query<{ username: string }>(
          `UPDATE users SET status = 'deactivated' WHERE user_id = $1 AND status = 'active' RETURNING username`,
          [userId],
        );
        if (!rows[0]) return false;
        // Locked in row order, as the group commit locks them, so the two cannot deadlock.
        const devices = await client.query<{ row_id: number }>(
          'SELECT row_id FROM devices WHERE user_id = $1 ORDER BY row_id FOR UPDATE',
          [userId],
        );
        await purgeDevices(
          client,
          devices.rows.map((d) => d.row_id),
        );
        await appendAudit(client, {
          at: now,
          type: 'user.deactivated',
          userId,
          deviceId: null,
          actor,
          detail: { username: rows[0].username, devices: devices.rowCount ?? 0 },
        });
        return true;
      });
    },

    async searchDirectory(prefix, limit) {
      const [start, word] = likePrefixPatterns(prefix);
      const { rows } = await pool.query<{ userId: string; username: string; displayName: string }>(
        `SELECT user_id AS "userId", username, display_name AS "displayName" FROM users
         WHERE status = 'active'
           AND (username LIKE $1 OR display_name_folded LIKE $1 OR display_name_folded LIKE $2)
         ORDER BY username LIMIT $3`,
        [start, word, limit],
      );
      return rows;
    },

    async createSession(session) {
      const row = await rowOf(session.address);
      if (row === undefined) throw unknownDevice();
      await pool.query('INSERT INTO sessions (token_hash, device_row, expires_at) VALUES ($1, $2, $3)', [
        bytes(session.tokenHash),
        row,
        session.expiresAt,
      ]);
    },

    async findSession(tokenHash, now) {
      const { rows } = await pool.query<{ user_id: string; device_id: number }>(
        `SELECT d.user_id, d.device_id FROM sessions s
         JOIN devices d ON d.row_id = s.device_row JOIN users u ON u.user_id = d.user_id
         WHERE s.token_hash = $1 AND s.expires_at > $2 AND d.revoked_at IS NULL AND u.status = 'active'`,
        [bytes(tokenHash), now],
      );
      return rows[0] ? { userId: rows[0].user_id, deviceId: rows[0].device_id } : null;
    },

    async savePrekeys(address, upload: PrekeyUpload) {
      return transaction(async (client) => {
        const device = await deviceRow(client, address);
        if (!device || device.revoked_at !== null || device.user_status !== 'active') throw unknownDevice();
        const row = device.row_id;
        if (upload.signedPrekey) {
          const k = upload.signedPrekey;
          await client.query(
            `INSERT INTO signed_prekeys (device_row, key_id, public_key, signature) VALUES ($1, $2, $3, $4)
             ON CONFLICT (device_row) DO UPDATE
             SET key_id = EXCLUDED.key_id, public_key = EXCLUDED.public_key, signature = EXCLUDED.signature`,
            [row, k.id, bytes(k.publicKey), bytes(k.signature)],
          );
        }
        if (upload.lastResortKemPrekey) {
          const k = upload.lastResortKemPrekey;
          await client.query(
            `INSERT INTO last_resort_kem_prekeys (device_row, key_id, public_key, signature) VALUES ($1, $2, $3, $4)
             ON CONFLICT (device_row) DO UPDATE
             SET key_id = EXCLUDED.key_id, public_key = EXCLUDED.public_key, signature = EXCLUDED.signature`,
            [row, k.id, bytes(k.publicKey), bytes(k.signature)],
          );
        }
        const oneTime = upload.oneTimePrekeys ?? [];
        if (oneTime.length > 0) {
          await client.query(
            `INSERT INTO one_time_prekeys (device_row, key_id, public_key)
             SELECT $1, k, p FROM unnest($2::bigint[], $3::bytea[]) WITH ORDINALITY AS t(k, p, n) ORDER BY n
             ON CONFLICT (device_row, key_id) DO NOTHING`,
            [row, oneTime.map((k) => k.id), oneTime.map((k) => bytes(k.publicKey))],
          );
        }
        const kem = upload.oneTimeKemPrekeys ?? [];
        if (kem.length > 0) {
          await client.query(
            `INSERT INTO one_time_kem_prekeys (device_row, key_id, public_key, signature)
             SELECT $1, k, p, s FROM unnest($2::bigint[], $3::bytea[], $4::bytea[]) WITH ORDINALITY AS t(k, p, s, n)
             ORDER BY n
             ON CONFLICT (device_row, key_id) DO NOTHING`,
            [
              row,
              kem.map((k) => k.id),
              kem.map((k) => bytes(k.publicKey)),
              kem.map((k) => bytes(k.signature)),
            ],
          );
        }
        const result = await counts(client, row);
        if (
          result.oneTimePrekeys > MAX_STORED_ONE_TIME_PREKEYS ||
          result.oneTimeKemPrekeys > MAX_STORED_ONE_TIME_KEM_PREKEYS
        ) {
          throw tooManyPrekeys();
        }
        return result;
      });
    },

    async prekeyCounts(address) {
      const row = await rowOf(address);
      if (row === undefined) throw unknownDevice();
      return counts(pool, row);
    },

    async takeBundles(userId) {
      return transaction(async (client) => {
        const user = await client.query<{ status: UserStatus }>(
          'SELECT status FROM users WHERE user_id = $1',
          [userId],
        );
        if (!user.rows[0]) throw noSuchUser();
        if (user.rows[0].status !== 'active') throw userInactive();
        const devices = await client.query<{ row_id: number; device_id: number; identity_key: Buffer }>(
          `SELECT row_id, device_id, identity_key FROM devices WHERE user_id = $1 AND revoked_at IS NULL
           ORDER BY device_id`,
          [userId],
        );
        const bundles: PrekeyBundle[] = [];
        for (const device of devices.rows) {
          const signed = (
            await client.query<KeyRow>(
              'SELECT key_id, public_key, signature FROM signed_prekeys WHERE device_row = $1',
              [device.row_id],
            )
          ).rows[0];
          if (!signed) continue;
          // The KEM prekey first: without one there is no bundle, and no one-time EC prekey is spent.
          let kem = (
            await client.query<KeyRow>(
              `DELETE FROM one_time_kem_prekeys WHERE id =
                 (SELECT id FROM one_time_kem_prekeys WHERE device_row = $1 ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED)
               RETURNING key_id, public_key, signature`,
              [device.row_id],
            )
          ).rows[0];
          const lastResort = kem === undefined;
          kem ??= (
            await client.query<KeyRow>(
              'SELECT key_id, public_key, signature FROM last_resort_kem_prekeys WHERE device_row = $1',
              [device.row_id],
            )
          ).rows[0];
          if (!kem) continue;
          const oneTime = (
            await client.query<{ key_id: number; public_key: Buffer }>(
              `DELETE FROM one_time_prekeys WHERE id =
                 (SELECT id FROM one_time_prekeys WHERE device_row = $1 ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED)
               RETURNING key_id, public_key`,
              [device.row_id],
            )
          ).rows[0];
          bundles.push({
            userId,
            deviceId: device.device_id,
            identityKey: new Uint8Array(device.identity_key),
            signedPrekey: {
              id: signed.key_id,
              publicKey: new Uint8Array(signed.public_key),
              signature: new Uint8Array(signed.signature),
            },
            oneTimePrekey: oneTime
              ? { id: oneTime.key_id, publicKey: new Uint8Array(oneTime.public_key) }
              : null,
            kemPrekey: {
              id: kem.key_id,
              publicKey: new Uint8Array(kem.public_key),
              signature: new Uint8Array(kem.signature),
            },
            kemPrekeyIsLastResort: lastResort,
          });
        }
        return bundles;
      });
    },

    async commit(group: CommitGroup, limits: MailboxLimits): Promise<CommitResult> {
      return transaction(async (client) => {
        // Lock every mailbox this group touches, in row order, and read its counters once.
        const addresses = new Map<string, DeviceAddress>();
        for (const batch of group.batches)
          for (const e of batch.envelopes) addresses.set(addressKey(e.to), e.to);
        for (const ack of group.acks) addresses.set(addressKey(ack.device), ack.device);
        const list = [...addresses.values()];
        const { rows } = await client.query<{
          row_id: number;
          user_id: string;
          device_id: number;
          revoked_at: number | null;
          user_status: string;
          mailbox_count: number;
          mailbox_bytes: number;
        }>(
          `SELECT d.row_id, d.user_id, d.device_id, d.revoked_at, u.status AS user_status,
                  d.mailbox_count, d.mailbox_bytes
           FROM devices d JOIN users u ON u.user_id = d.user_id
           WHERE (d.user_id, d.device_id) IN (SELECT * FROM unnest($1::text[], $2::int[]))
           ORDER BY d.row_id FOR UPDATE OF d`,
          [list.map((a) => a.userId), list.map((a) => a.deviceId)],
        );
        const states = new Map<string, RecipientState>();
        for (const row of rows) {
          states.set(`${row.user_id}.${row.device_id}`, {
            row: row.row_id,
            refusal: refusalFor(row.user_status, row.revoked_at),
            count: row.mailbox_count,
            bytes: row.mailbox_bytes,
            dirty: false,
          });
        }
        const stateOf = (address: DeviceAddress) => states.get(addressKey(address)) ?? null;

        // Acks first: they free room for the envelopes of this same group.
        let deleted = 0;
        const ackIds: string[] = [];
        const ackRows: number[] = [];
        for (const ack of group.acks) {
          const state = stateOf(ack.device);
          if (!state) continue;
          for (const id of ack.ids) {
            ackIds.push(id);
            ackRows.push(state.row);
          }
        }
        if (ackIds.length > 0) {
          const removed = await client.query<{ device_row: number; size: number }>(
            `DELETE FROM envelopes e USING unnest($1::bigint[], $2::bigint[]) AS a(id, device_row)
             WHERE e.id = a.id AND e.device_row = a.device_row
             RETURNING e.device_row, length(e.bytes) AS size`,
            [ackIds, ackRows],
          );
          const byRow = new Map([...states.values()].map((s) => [s.row, s]));
          for (const r of removed.rows) {
            deleted++;
            noteRemoved(byRow.get(r.device_row)!, r.size);
          }
        }

        const plans = group.batches.map((batch) => planBatch(batch, stateOf, limits));
        const accepted = plans.reduce(
          (n, plan, i) => n + (plan.ok ? group.batches[i]!.envelopes.length : 0),
          0,
        );
        let ids: string[] = [];
        if (accepted > 0) {
          const seq = await client.query<{ id: number }>(
            "SELECT nextval('envelopes_id_seq') AS id FROM generate_series(1, $1)",
            [accepted],
          );
          ids = seq.rows
            .map((r) => r.id)
            .sort((a, b) => a - b)
            .map(String);
        }
        const insertIds: string[] = [];
        const insertRows: number[] = [];
        const insertBytes: Buffer[] = [];
        let next = 0;
        const outcomes = plans.map((plan, i): BatchOutcome => {
          if (!plan.ok) return plan;
          const stored = group.batches[i]!.envelopes.map((envelope, index): StoredEnvelope => {
            const id = ids[next++]!;
            insertIds.push(id);
            insertRows.push(plan.targets[index]!.row);
            insertBytes.push(bytes(envelope.bytes));
            return { id, to: envelope.to, bytes: envelope.bytes };
          });
          return { ok: true, stored };
        });
        if (insertIds.length > 0) {
          await client.query(
            `INSERT INTO envelopes (id, device_row, expires_at, bytes)
             SELECT id, device_row, $3, bytes FROM unnest($1::bigint[], $2::bigint[], $4::bytea[]) AS t(id, device_row, bytes)`,
            [insertIds, insertRows, limits.expiresAt, insertBytes],
          );
        }
        const dirty = [...states.values()].filter((s) => s.dirty);
        if (dirty.length > 0) {
          await client.query(
            `UPDATE devices SET mailbox_count = v.c, mailbox_bytes = v.b
             FROM unnest($1::bigint[], $2::int[], $3::bigint[]) AS v(row_id, c, b) WHERE devices.row_id = v.row_id`,
            [dirty.map((s) => s.row), dirty.map((s) => s.count), dirty.map((s) => s.bytes)],
          );
        }
        return { outcomes, deleted };
      });
    },

    async pending(address, afterId, limit, now) {
      const row = await rowOf(address);
      if (row === undefined) return [];
      const { rows } = await pool.query<{ id: number; bytes: Buffer }>(
        `SELECT id, bytes FROM envelopes WHERE device_row = $1 AND id > $2 AND expires_at > $3
         ORDER BY id LIMIT $4`,
        [row, afterId ?? '0', now, limit],
      );
      return rows.map((r) => ({ id: String(r.id), to: address, bytes: r.bytes }));
    },

    async depth(address) {
      const { rows } = await pool.query<{ mailbox_count: number; mailbox_bytes: number }>(
        'SELECT mailbox_count, mailbox_bytes FROM devices WHERE user_id = $1 AND device_id = $2',
        [address.userId, address.deviceId],
      );
      return { count: rows[0]?.mailbox_count ?? 0, bytes: rows[0]?.mailbox_bytes ?? 0 };
    },

    async totalDepth() {
      const { rows } = await pool.query<{ n: number }>(
        'SELECT COALESCE(SUM(mailbox_count), 0)::bigint AS n FROM devices',
      );
      return rows[0]!.n;
    },

    async expireEnvelopes(now) {
      let total = 0;
      for (;;) {
        const removed = await transaction(async (client) => {
          const { rows } = await client.query<{ device_row: number; size: number }>(
            `DELETE FROM envelopes WHERE id IN (SELECT id FROM envelopes WHERE expires_at <= $1 LIMIT 5000)
             RETURNING device_row, length(bytes) AS size`,
            [now],
          );
          const byRow = new Map<number, { count: number; bytes: number }>();
          for (const r of rows) {
            const acc = byRow.get(r.device_row) ?? { count: 0, bytes: 0 };
            acc.count++;
            acc.bytes += r.size;
            byRow.set(r.device_row, acc);
          }
          const entries = [...byRow.entries()].sort((a, b) => a[0] - b[0]);
          if (entries.length > 0) {
            await client.query(
              `UPDATE devices SET mailbox_count = mailbox_count - v.c, mailbox_bytes = mailbox_bytes - v.b
               FROM unnest($1::bigint[], $2::int[], $3::bigint[]) AS v(row_id, c, b) WHERE devices.row_id = v.row_id`,
              [entries.map((e) => e[0]), entries.map((e) => e[1].count), entries.map((e) => e[1].bytes)],
            );
          }
          return rows.length;
        });
        total += removed;
        if (removed < 5000) return total;
      }
    },

    async createBlob(blob) {
      await pool.query(
        `INSERT INTO blobs (id, token_hash, owner_user_id, owner_device_id, size, created_at, expires_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)`,
        [
          blob.id,
          bytes(blob.tokenHash),
          blob.owner.userId,
          blob.owner.deviceId,
          blob.size,
          blob.createdAt,
          blob.expiresAt,
        ],
      );
    },

    async getBlob(id): Promise<BlobRecord | null> {
      const { rows } = await pool.query<{
        id: string;
        token_hash: Buffer;
        owner_user_id: string;
        owner_device_id: number;
        size: number;
        created_at: number;
        expires_at: number;
        complete: boolean;
      }>('SELECT * FROM blobs WHERE id = $1', [id]);
      const row = rows[0];
      if (!row) return null;
      return {
        id: row.id,
        tokenHash: new Uint8Array(row.token_hash),
        owner: { userId: row.owner_user_id, deviceId: row.owner_device_id },
        size: row.size,
        createdAt: row.created_at,
        expiresAt: row.expires_at,
        complete: row.complete,
      };
    },

    async markBlobComplete(id) {
      await pool.query('UPDATE blobs SET complete = TRUE WHERE id = $1', [id]);
    },

    async takeExpiredBlobs(now, limit) {
      const { rows } = await pool.query<{ id: string }>(
        'DELETE FROM blobs WHERE id IN (SELECT id FROM blobs WHERE expires_at <= $1 LIMIT $2) RETURNING id',
        [now, limit],
      );
      return rows.map((r) => r.id);
    },

    async expireCredentials(now) {
      await pool.query('DELETE FROM sessions WHERE expires_at <= $1', [now]);
      await pool.query('DELETE FROM invitations WHERE expires_at <= $1', [now]);
    },

    async auditEvents(afterSeq, limit): Promise<AuditEvent[]> {
      const { rows } = await pool.query<{
        seq: number;
        at: number;
        type: AuditEventType;
        user_id: string | null;
        device_id: number | null;
        actor: string;
        detail: string;
        hash: string;
      }>('SELECT * FROM audit_events WHERE seq > $1 ORDER BY seq LIMIT $2', [afterSeq, limit]);
      return rows.map((r) => ({
        seq: r.seq,
        at: r.at,
        type: r.type,
        userId: r.user_id,
        deviceId: r.device_id,
        actor: r.actor,
        detail: JSON.parse(r.detail) as Record<string, string | number>,
        hash: r.hash,
      }));
    },

    async lastAuditSeq() {
      const { rows } = await pool.query<{ seq: number }>(
        'SELECT COALESCE(MAX(seq), 0)::bigint AS seq FROM audit_events',
      );
      return rows[0]!.seq;
    },

    async close() {
      await pool.end();
    },
  };
}
