/** Users and devices as both SQL stores read them (same columns in SQLite and PostgreSQL). */
import type { DeviceRecord, UserRecord, UserStatus } from './relay-store';

export interface UserRow {
  user_id: string;
  username: string;
  display_name: string;
  status: UserStatus;
  external_id: string | null;
  created_at: number;
}

export interface DeviceRow {
  row_id: number;
  user_id: string;
  device_id: number;
  identity_key: Buffer;
  created_at: number;
  last_seen_at: number | null;
  revoked_at: number | null;
  user_status: UserStatus;
}

/** The columns `toDevice` reads, from `devices d JOIN users u`. */
export const DEVICE_COLUMNS = `d.row_id, d.user_id, d.device_id, d.identity_key, d.created_at, d.last_seen_at,
  d.revoked_at, u.status AS user_status`;

export function toDevice(row: DeviceRow): DeviceRecord {
  return {
    userId: row.user_id,
    deviceId: row.device_id,
    identityKey: new Uint8Array(row.identity_key),
    createdAt: row.created_at,
    lastSeenAt: row.last_seen_at,
    revokedAt: row.revoked_at,
    userStatus: row.user_status,
  };
}

export function toUser(row: UserRow): UserRecord {
  return {
    userId: row.user_id,
    username: row.username,
    displayName: row.display_name,
    status: row.status,
    externalId: row.external_id,
    createdAt: row.created_at,
  };
}
