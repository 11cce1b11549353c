/**
 * The default store: one SQLite file (better-sqlite3-multiple-ciphers without a key), WAL and
 * synchronous=FULL, so a committed envelope survives a power cut before its sender is acked.
 * better-sqlite3 is synchronous; the relay's group commit makes each transaction carry many
 * envelopes, so the event loop blocks once per group rather than once per envelope.
 */
import Database from 'better-sqlite3-multiple-ciphers';
import type { DeviceAddress } from '../../shared/address';
import type { PrekeyBundle, PrekeyCounts, PrekeyUpload } from '../../shared/prekeys';
import { DEVICE_COLUMNS, type DeviceRow, toDevice, toUser, type UserRow } from './account-rows';
import { AUDIT_GENESIS_HASH, type AuditEventFields, auditHash } from './audit-chain';
import { addressKey, noteRemoved, planBatch, type RecipientState, refusalFor } from './commit-plan';
import { likePrefixPatterns } from './directory-search';
import type {
  AuditEvent,
  AuditEventType,
  BatchOutcome,
  BlobRecord,
  CommitGroup,
  CommitResult,
  DirectoryRecord,
  MailboxDepth,
  MailboxLimits,
  NewBlob,
  NewInvitation,
  NewSession,
  NewUser,
  RelayStore,
  StoredEnvelope,
  UserStatus,
} from './relay-store';
import { migrateSqlite } from './sqlite-schema';
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

interface DepthRow {
  row_id: number;
  revoked_at: number | null;
  user_status: UserStatus;
  mailbox_count: number;
  mailbox_bytes: number;
}

interface KeyRow {
  key_id: number;
  public_key: Buffer;
  signature: Buffer;
}

interface BlobRow {
  id: string;
  token_hash: Buffer;
  owner_user_id: string;
  owner_device_id: number;
  size: number;
  created_at: number;
  expires_at: number;
  complete: number;
}

interface AuditRow {
  seq: number;
  at: number;
  type: AuditEventType;
  user_id: string | null;
  device_id: number | null;
  actor: string;
  detail: string;
  hash: string;
}

function isUniqueViolation(error: unknown, column: string): boolean {
  const e = error as { code?: string; message?: string };
  return e.code === 'SQLITE_CONSTRAINT_UNIQUE' && (e.message ?? '').includes(column);
}

export interface SqliteStoreOptions {
  /** How long a writer waits for another process (the admin CLI) to finish its transaction. */
  readonly busyTimeoutMs?: number;
}

export function openSqliteStore(path: string, options: SqliteStoreOptions = {}): RelayStore {
  const db = new Database(path);
  db.pragma(`busy_timeout = ${options.busyTimeoutMs ?? 5_000}`);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  migrateSqlite(db);

  const s = {
    ping: db.prepare('SELECT 1'),
    userById: db.prepare<[string], UserRow>('SELECT * FROM users WHERE user_id = ?'),
    userByName: db.prepare<[string], UserRow>('SELECT * FROM users WHERE username = ?'),
    insertUser: db.prepare(
      `INSERT INTO users (user_id, username, display_name, display_name_folded, status, next_device_id, created_at)
       VALUES (?, ?, ?, ?, 'active', 2, ?)`,
    ),
    nextDeviceId: db.prepare<[string], { next_device_id: number; status: UserStatus }>(
      'SELECT next_device_id, status FROM users WHERE user_id = ?',
    ),
    bumpDeviceId: db.prepare('UPDATE users SET next_device_id = next_device_id + 1 WHERE user_id = ?'),
    insertDevice: db.prepare(
      'INSERT INTO devices (user_id, device_id, identity_key, created_at) VALUES (?, ?, ?, ?)',
    ),
    device: db.prepare<[string, number], DeviceRow>(
      `SELECT ${DEVICE_COLUMNS} FROM devices d JOIN users u ON u.user_id = d.user_id
       WHERE d.user_id = ? AND d.device_id = ?`,
    ),
    activeDevices: db.prepare<[string], DeviceRow>(
      `SELECT ${DEVICE_COLUMNS} FROM devices d JOIN users u ON u.user_id = d.user_id
       WHERE d.user_id = ? AND d.revoked_at IS NULL AND u.status = 'active' ORDER BY d.device_id`,
    ),
    userDeviceRows: db.prepare<[string], { row_id: number }>('SELECT row_id FROM devices WHERE user_id = ?'),
    touch: db.prepare('UPDATE devices SET last_seen_at = ? WHERE user_id = ? AND device_id = ?'),
    revoke: db.prepare(
      'UPDATE devices SET revoked_at = ?, mailbox_count = 0, mailbox_bytes = 0 WHERE row_id = ?',
    ),
    deactivate: db.prepare("UPDATE users SET status = 'deactivated' WHERE user_id = ?"),
    clearDepth: db.prepare('UPDATE devices SET mailbox_count = 0, mailbox_bytes = 0 WHERE row_id = ?'),
    deleteDeviceEnvelopes: db.prepare('DELETE FROM envelopes WHERE device_row = ?'),
    deleteDeviceSessions: db.prepare('DELETE FROM sessions WHERE device_row = ?'),
    deleteSigned: db.prepare('DELETE FROM signed_prekeys WHERE device_row = ?'),
    deleteOneTime: db.prepare('DELETE FROM one_time_prekeys WHERE device_row = ?'),
    deleteLastResort: db.prepare('DELETE FROM last_resort_kem_prekeys WHERE device_row = ?'),
    deleteOneTimeKem: db.prepare('DELETE FROM one_time_kem_prekeys WHERE device_row = ?'),
    search: db.prepare<[string, string, string, number], DirectoryRecord>(
      `SELECT user_id AS userId, username, display_name AS displayName FROM users
       WHERE status = 'active'
         AND (username LIKE ? ESCAPE '\\' OR display_name_folded LIKE ? ESCAPE '\\'
              OR display_name_folded LIKE ? ESCAPE '\\')
       ORDER BY username LIMIT ?`,
    ),
    invitation: db.prepare<[Uint8Array], { username: string; expires_at: number }>(
      'SELECT username, expires_at FROM invitations WHERE code_hash = ?',
    ),
    insertInvitation: db.prepare(
      'INSERT INTO invitations (code_hash, username, created_at, expires_at) VALUES (?, ?, ?, ?)',
    ),
    deleteInvitation: db.prepare('DELETE FROM invitations WHERE code_hash = ?'),
    insertSession: db.prepare('INSERT INTO sessions (token_hash, device_row, expires_at) VALUES (?, ?, ?)'),
    session: db.prepare<[Uint8Array, number], { user_id: string; device_id: number }>(
      `SELECT d.user_id, d.device_id FROM sessions s
       JOIN devices d ON d.row_id = s.device_row JOIN users u ON u.user_id = d.user_id
       WHERE s.token_hash = ? AND s.expires_at > ? AND d.revoked_at IS NULL AND u.status = 'active'`,
    ),
    upsertSigned: db.prepare(
      'INSERT OR REPLACE INTO signed_prekeys (device_row, key_id, public_key, signature) VALUES (?, ?, ?, ?)',
    ),
    insertOneTime: db.prepare(
      'INSERT OR IGNORE INTO one_time_prekeys (device_row, key_id, public_key) VALUES (?, ?, ?)',
    ),
    upsertLastResort: db.prepare(
      'INSERT OR REPLACE INTO last_resort_kem_prekeys (device_row, key_id, public_key, signature) VALUES (?, ?, ?, ?)',
    ),
    insertOneTimeKem: db.prepare(
      'INSERT OR IGNORE INTO one_time_kem_prekeys (device_row, key_id, public_key, signature) VALUES (?, ?, ?, ?)',
    ),
    countOneTime: db.prepare<[number], { n: number }>(
      'SELECT count(*) AS n FROM one_time_prekeys WHERE device_row = ?',
    ),
    countOneTimeKem: db.prepare<[number], { n: number }>(
      'SELECT count(*) AS n FROM one_time_kem_prekeys WHERE device_row = ?',
    ),
    signed: db.prepare<[number], KeyRow>(
      'SELECT key_id, public_key, signature FROM signed_prekeys WHERE device_row = ?',
    ),
    lastResort: db.prepare<[number], KeyRow>(
      'SELECT key_id, public_key, signature FROM last_resort_kem_prekeys WHERE device_row = ?',
    ),
    takeOneTime: db.prepare<[number], { key_id: number; public_key: Buffer }>(
      `DELETE FROM one_time_prekeys WHERE id =
         (SELECT id FROM one_time_prekeys WHERE device_row = ? ORDER BY id LIMIT 1)
       RETURNING key_id, public_key`,
    ),
    takeOneTimeKem: db.prepare<[number], KeyRow>(
      `DELETE FROM one_time_kem_prekeys WHERE id =
         (SELECT id FROM one_time_kem_prekeys WHERE device_row = ? ORDER BY id LIMIT 1)
       RETURNING key_id, public_key, signature`,
    ),
    depthState: db.prepare<[string, number], DepthRow>(
      `SELECT d.row_id, d.revoked_at, u.status AS user_status, d.mailbox_count, d.mailbox_bytes
       FROM devices d JOIN users u ON u.user_id = d.user_id WHERE d.user_id = ? AND d.device_id = ?`,
    ),
    setDepth: db.prepare('UPDATE devices SET mailbox_count = ?, mailbox_bytes = ? WHERE row_id = ?'),
    addDepth: db.prepare(
      'UPDATE devices SET mailbox_count = mailbox_count + ?, mailbox_bytes = mailbox_bytes + ? WHERE row_id = ?',
    ),
    insertEnvelope: db.prepare('INSERT INTO envelopes (device_row, expires_at, bytes) VALUES (?, ?, ?)'),
    // Read, then delete: a DELETE … RETURNING costs SQLite about ten times as much per row.
    envelopeSize: db.prepare<[number, number], { size: number }>(
      'SELECT length(bytes) AS size FROM envelopes WHERE id = ? AND device_row = ?',
    ),
    deleteEnvelope: db.prepare<[number]>('DELETE FROM envelopes WHERE id = ?'),
    pending: db.prepare<[number, number, number, number], { id: number; bytes: Buffer }>(
      'SELECT id, bytes FROM envelopes WHERE device_row = ? AND id > ? AND expires_at > ? ORDER BY id LIMIT ?',
    ),
    depth: db.prepare<[string, number], { mailbox_count: number; mailbox_bytes: number }>(
      'SELECT mailbox_count, mailbox_bytes FROM devices WHERE user_id = ? AND device_id = ?',
    ),
    totalDepth: db.prepare<[], { n: number }>('SELECT COALESCE(SUM(mailbox_count), 0) AS n FROM devices'),
    expireEnvelopes: db.prepare<[number], { device_row: number; size: number }>(
      `DELETE FROM envelopes WHERE id IN (SELECT id FROM envelopes WHERE expires_at <= ? LIMIT 5000)
       RETURNING device_row, length(bytes) AS size`,
    ),
    insertBlob: db.prepare(
      `INSERT INTO blobs (id, token_hash, owner_user_id, owner_device_id, size, created_at, expires_at)
       VALUES (?, ?, ?, ?, ?, ?, ?)`,
    ),
    blob: db.prepare<[string], BlobRow>('SELECT * FROM blobs WHERE id = ?'),
    completeBlob: db.prepare('UPDATE blobs SET complete = 1 WHERE id = ?'),
    expiredBlobs: db.prepare<[number, number], { id: string }>(
      'DELETE FROM blobs WHERE id IN (SELECT id FROM blobs WHERE expires_at <= ? LIMIT ?) RETURNING id',
    ),
    expireSessions: db.prepare('DELETE FROM sessions WHERE expires_at <= ?'),
    expireInvitations: db.prepare('DELETE FROM invitations WHERE expires_at <= ?'),
    lastAudit: db.prepare<[], { seq: number; hash: string }>(
      'SELECT seq, hash FROM audit_events ORDER BY seq DESC LIMIT 1',
    ),
    insertAudit: db.prepare(
      `INSERT INTO audit_events (seq, at, type, user_id, device_id, actor, detail, hash)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    audit: db.prepare<[number, number], AuditRow>(
      'SELECT * FROM audit_events WHERE seq > ? ORDER BY seq LIMIT ?',
    ),
  };

  /** Device row ids never change, so they are cached for the hot path. */
  const rows = new Map<string, number>();
  function rowOf(address: DeviceAddress): number | undefined {
    const key = addressKey(address);
    let row = rows.get(key);
    if (row === undefined) {
      row = s.device.get(address.userId, address.deviceId)?.row_id;
      if (row !== undefined) rows.set(key, row);
    }
    return row;
  }

  function appendAudit(fields: Omit<AuditEventFields, 'seq'>): void {
    const last = s.lastAudit.get();
    const event: AuditEventFields = { ...fields, seq: (last?.seq ?? 0) + 1 };
    const hash = auditHash(last?.hash ?? AUDIT_GENESIS_HASH, event);
    s.insertAudit.run(
      event.seq,
      event.at,
      event.type,
      event.userId,
      event.deviceId,
      event.actor,
      JSON.stringify(event.detail),
      hash,
    );
  }

  function counts(row: number): PrekeyCounts {
    return {
      oneTimePrekeys: s.countOneTime.get(row)!.n,
      oneTimeKemPrekeys: s.countOneTimeKem.get(row)!.n,
    };
  }

  function purgeDevice(row: number): void {
    s.deleteDeviceEnvelopes.run(row);
    s.deleteDeviceSessions.run(row);
    s.deleteSigned.run(row);
    s.deleteOneTime.run(row);
    s.deleteLastResort.run(row);
    s.deleteOneTimeKem.run(row);
  }

  const registerTx = db.transaction((user: NewUser): DeviceAddress => {
    if (user.invitationCodeHash) {
      const invitation = s.invitation.get(user.invitationCodeHash);
      if (!invitation || invitation.expires_at <= user.now || invitation.username !== user.username) {
        throw invitationInvalid();
      }
      s.deleteInvitation.run(user.invitationCodeHash);
    }
    if (s.userByName.get(user.username)) throw usernameTaken();
    s.insertUser.run(user.userId, user.username, user.displayName, user.displayName.toLowerCase(), user.now);
    try {
      s.insertDevice.run(user.userId, 1, user.identityKey, user.now);
    } catch (error) {
      if (isUniqueViolation(error, 'identity_key')) throw identityKeyTaken();
      throw error;
    }
    appendAudit({
      at: user.now,
      type: 'user.registered',
      userId: user.userId,
      deviceId: 1,
      actor: user.actor,
      detail: { username: user.username, via: user.invitationCodeHash ? 'invitation' : 'open-registration' },
    });
    return { userId: user.userId, deviceId: 1 };
  });

  const addDeviceTx = db.transaction(
    (userId: string, identityKey: Uint8Array, now: number, actor: string): DeviceAddress => {
      const user = s.nextDeviceId.get(userId);
      if (!user) throw noSuchUser();
      if (user.status !== 'active') throw userInactive();
      const deviceId = user.next_device_id;
      s.bumpDeviceId.run(userId);
      try {
        s.insertDevice.run(userId, deviceId, identityKey, now);
      } catch (error) {
        if (isUniqueViolation(error, 'identity_key')) throw identityKeyTaken();
        throw error;
      }
      appendAudit({ at: now, type: 'device.added', userId, deviceId, actor, detail: {} });
      return { userId, deviceId };
    },
  );

  const revokeTx = db.transaction((address: DeviceAddress, now: number, actor: string): boolean => {
    const device = s.device.get(address.userId, address.deviceId);
    if (!device || device.revoked_at !== null) return false;
    s.revoke.run(now, device.row_id);
    purgeDevice(device.row_id);
    appendAudit({
      at: now,
      type: 'device.revoked',
      userId: address.userId,
      deviceId: address.deviceId,
      actor,
      detail: {},
    });
    return true;
  });

  const deactivateTx = db.transaction((userId: string, now: number, actor: string): boolean => {
    const user = s.userById.get(userId);
    if (user?.status !== 'active') return false;
    s.deactivate.run(userId);
    const devices = s.userDeviceRows.all(userId);
    for (const { row_id } of devices) {
      purgeDevice(row_id);
      s.clearDepth.run(row_id);
    }
    appendAudit({
      at: now,
      type: 'user.deactivated',
      userId,
      deviceId: null,
      actor,
      detail: { username: user.username, devices: devices.length },
    });
    return true;
  });

  const savePrekeysTx = db.transaction((address: DeviceAddress, upload: PrekeyUpload): PrekeyCounts => {
    const device = s.device.get(address.userId, address.deviceId);
    if (!device || device.revoked_at !== null || device.user_status !== 'active') throw unknownDevice();
    const row = device.row_id;
    if (upload.signedPrekey) {
      const k = upload.signedPrekey;
      s.upsertSigned.run(row, k.id, k.publicKey, k.signature);
    }
    if (upload.lastResortKemPrekey) {
      const k = upload.lastResortKemPrekey;
      s.upsertLastResort.run(row, k.id, k.publicKey, k.signature);
    }
    for (const k of upload.oneTimePrekeys ?? []) s.insertOneTime.run(row, k.id, k.publicKey);
    for (const k of upload.oneTimeKemPrekeys ?? [])
      s.insertOneTimeKem.run(row, k.id, k.publicKey, k.signature);
    const result = counts(row);
    if (
      result.oneTimePrekeys > MAX_STORED_ONE_TIME_PREKEYS ||
      result.oneTimeKemPrekeys > MAX_STORED_ONE_TIME_KEM_PREKEYS
    ) {
      throw tooManyPrekeys();
    }
    return result;
  });

  const takeBundlesTx = db.transaction((userId: string): PrekeyBundle[] => {
    const user = s.userById.get(userId);
    if (!user) throw noSuchUser();
    if (user.status !== 'active') throw userInactive();
    const bundles: PrekeyBundle[] = [];
    for (const device of s.activeDevices.all(userId)) {
      const signed = s.signed.get(device.row_id);
      if (!signed) continue;
      // Take the KEM prekey first: without one there is no bundle, and no one-time EC prekey is spent.
      let kem = s.takeOneTimeKem.get(device.row_id);
      const lastResort = kem === undefined;
      kem ??= s.lastResort.get(device.row_id);
      if (!kem) continue;
      const oneTime = s.takeOneTime.get(device.row_id);
      bundles.push({
        userId,
        deviceId: device.device_id,
        identityKey: new Uint8Array(device.identity_key),
        signedPrekey: {
          id: signed.key_id,
          publicKey: new Uint8Array(signed.public_key),
          signature: new Uint8Array(signed.signature),
        },
        oneTimePrekey: oneTime ? { id: oneTime.key_id, publicKey: new Uint8Array(oneTime.public_key) } : null,
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

  const commitTx = db.transaction((group: CommitGroup, limits: MailboxLimits): CommitResult => {
    const states = new Map<string, RecipientState | null>();
    // Envelopes to one device usually share one address object (the worker unpacks them so):
    // found by identity first, the key string is built once per object.
    const byObject = new Map<DeviceAddress, RecipientState | null>();
    function stateOf(address: DeviceAddress): RecipientState | null {
      const known = byObject.get(address);
      if (known !== undefined) return known;
      const key = addressKey(address);
      let state = states.get(key);
      if (state === undefined) {
        const row = s.depthState.get(address.userId, address.deviceId);
        state = row
          ? {
              row: row.row_id,
              refusal: refusalFor(row.user_status, row.revoked_at),
              count: row.mailbox_count,
              bytes: row.mailbox_bytes,
              dirty: false,
            }
          : null;
        states.set(key, state);
      }
      byObject.set(address, state);
      return state;
    }

    // Acks first: they free room for the envelopes of this same group.
    let deleted = 0;
    for (const ack of group.acks) {
      const state = stateOf(ack.device);
      if (!state) continue;
      for (const id of ack.ids) {
        const removed = s.envelopeSize.get(Number(id), state.row);
        if (removed) {
          s.deleteEnvelope.run(Number(id));
          deleted++;
          noteRemoved(state, removed.size);
        }
      }
    }

    const outcomes = group.batches.map((batch): BatchOutcome => {
      const plan = planBatch(batch, stateOf, limits);
      if (!plan.ok) return plan;
      const stored = batch.envelopes.map((envelope, index): StoredEnvelope => {
        const info = s.insertEnvelope.run(plan.targets[index]!.row, limits.expiresAt, envelope.bytes);
        return { id: String(info.lastInsertRowid), to: envelope.to, bytes: envelope.bytes };
      });
      return { ok: true, stored };
    });

    for (const state of states.values()) {
      if (state?.dirty) s.setDepth.run(state.count, state.bytes, state.row);
    }
    return { outcomes, deleted };
  });

  const expireTx = db.transaction((now: number): number => {
    const removed = s.expireEnvelopes.all(now);
    const byRow = new Map<number, { count: number; bytes: number }>();
    for (const r of removed) {
      const acc = byRow.get(r.device_row) ?? { count: 0, bytes: 0 };
      acc.count++;
      acc.bytes += r.size;
      byRow.set(r.device_row, acc);
    }
    for (const [row, acc] of byRow) s.addDepth.run(-acc.count, -acc.bytes, row);
    return removed.length;
  });

  return {
    kind: 'sqlite',

    async ping() {
      s.ping.get();
    },

    async createInvitation(invitation: NewInvitation) {
      db.transaction(() => {
        s.insertInvitation.run(
          invitation.codeHash,
          invitation.username,
          invitation.createdAt,
          invitation.expiresAt,
        );
        appendAudit({
          at: invitation.createdAt,
          type: 'invitation.created',
          userId: null,
          deviceId: null,
          actor: invitation.actor,
          detail: { username: invitation.username, expiresAt: invitation.expiresAt },
        });
      }).immediate();
    },

    async registerUser(user: NewUser) {
      return registerTx.immediate(user);
    },

    async addDevice(userId, identityKey, now, actor) {
      return addDeviceTx.immediate(userId, identityKey, now, actor);
    },

    async getUser(userId) {
      const row = s.userById.get(userId);
      return row ? toUser(row) : null;
    },

    async getUserByUsername(username) {
      const row = s.userByName.get(username);
      return row ? toUser(row) : null;
    },

    async getDevice(address) {
      const row = s.device.get(address.userId, address.deviceId);
      return row ? toDevice(row) : null;
    },

    async listActiveDevices(userId) {
      return s.activeDevices.all(userId).map(toDevice);
    },

    async touchDevice(address, now) {
      s.touch.run(now, address.userId, address.deviceId);
    },

    async revokeDevice(address, now, actor) {
      return revokeTx.immediate(address, now, actor);
    },

    async deactivateUser(userId, now, actor) {
      return deactivateTx.immediate(userId, now, actor);
    },

    async searchDirectory(prefix, limit) {
      const [start, word] = likePrefixPatterns(prefix);
      return s.search.all(start, start, word, limit);
    },

    async createSession(session: NewSession) {
      const row = rowOf(session.address);
      if (row === undefined) throw unknownDevice();
      s.insertSession.run(session.tokenHash, row, session.expiresAt);
    },

    async findSession(tokenHash, now) {
      const row = s.session.get(tokenHash, now);
      return row ? { userId: row.user_id, deviceId: row.device_id } : null;
    },

    async savePrekeys(address, upload) {
      return savePrekeysTx.immediate(address, upload);
    },

    async prekeyCounts(address) {
      const row = rowOf(address);
      if (row === undefined) throw unknownDevice();
      return counts(row);
    },

    async takeBundles(userId) {
      return takeBundlesTx.immediate(userId);
    },

    async commit(group, limits) {
      return commitTx.immediate(group, limits);
    },

    async pending(address, afterId, limit, now) {
      const row = rowOf(address);
      if (row === undefined) return [];
      return s.pending
        .all(row, afterId === null ? 0 : Number(afterId), now, limit)
        .map((r) => ({ id: String(r.id), to: address, bytes: r.bytes }));
    },

    async depth(address): Promise<MailboxDepth> {
      const row = s.depth.get(address.userId, address.deviceId);
      return { count: row?.mailbox_count ?? 0, bytes: row?.mailbox_bytes ?? 0 };
    },

    async totalDepth() {
      return s.totalDepth.get()!.n;
    },

    async expireEnvelopes(now) {
      let total = 0;
      for (;;) {
        const removed = expireTx.immediate(now);
        total += removed;
        if (removed < 5000) return total;
      }
    },

    async createBlob(blob: NewBlob) {
      s.insertBlob.run(
        blob.id,
        blob.tokenHash,
        blob.owner.userId,
        blob.owner.deviceId,
        blob.size,
        blob.createdAt,
        blob.expiresAt,
      );
    },

    async getBlob(id): Promise<BlobRecord | null> {
      const row = s.blob.get(id);
      if (!row) return null;
      return {
        id: row.id,
        tokenHash: new Uint8Array(row.token_hash),
        owner: { userId: row.owner_user_id, deviceId: row.owner_device_id },
        size: row.size,
        createdAt: row.created_at,
        expiresAt: row.expires_at,
        complete: row.complete === 1,
      };
    },

    async markBlobComplete(id) {
      s.completeBlob.run(id);
    },

    async takeExpiredBlobs(now, limit) {
      return s.expiredBlobs.all(now, limit).map((r) => r.id);
    },

    async expireCredentials(now) {
      db.transaction(() => {
        s.expireSessions.run(now);
        s.expireInvitations.run(now);
      }).immediate();
    },

    async auditEvents(afterSeq, limit): Promise<AuditEvent[]> {
      return s.audit.all(afterSeq, limit).map((r) => ({
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
      return s.lastAudit.get()?.seq ?? 0;
    },

    async close() {
      if (db.open) db.close();
    },
  };
}
