/**
 * People this account talks to, with the identity key last seen for them and the verification
 * state the safety-number screen sets, plus the devices known for each of them.
 */
import type { DeviceAddress } from '../../../shared/address';
import { ParleyError } from '../../../shared/errors';
import type { SqliteDatabase } from './open-database';

export interface Contact {
  readonly userId: string;
  readonly username: string;
  readonly displayName: string;
  readonly identityKey: Uint8Array;
  readonly verified: boolean;
  /** The identity key changed since the user last saw or accepted it. */
  readonly keyChanged: boolean;
  readonly updatedAt: number;
}

export interface ContactDevice {
  readonly address: DeviceAddress;
  readonly identityKey: Uint8Array;
  readonly updatedAt: number;
}

interface ContactRow {
  user_id: string;
  username: string;
  display_name: string;
  identity_key: Uint8Array;
  verified: number;
  key_changed: number;
  updated_at: number;
}

interface DeviceRow {
  user_id: string;
  device_id: number;
  identity_key: Uint8Array;
  updated_at: number;
}

export class ContactRepository {
  private readonly upsert;
  private readonly selectOne;
  private readonly selectByUsername;
  private readonly selectAll;
  private readonly updateFlags;
  private readonly updateKey;
  private readonly remove;
  private readonly devicePut;
  private readonly deviceList;
  private readonly deviceGet;
  private readonly deviceRemove;

  constructor(db: SqliteDatabase) {
    this.upsert = db.prepare<[ContactRow]>(
      `INSERT INTO contacts (user_id, username, display_name, identity_key, verified, key_changed, updated_at)
       VALUES (@user_id, @username, @display_name, @identity_key, @verified, @key_changed, @updated_at)
       ON CONFLICT (user_id) DO UPDATE SET username = excluded.username, display_name = excluded.display_name,
         identity_key = excluded.identity_key, verified = excluded.verified, key_changed = excluded.key_changed,
         updated_at = excluded.updated_at`,
    );
    this.selectOne = db.prepare<[string], ContactRow>('SELECT * FROM contacts WHERE user_id = ?');
    this.selectByUsername = db.prepare<[string], ContactRow>(
      'SELECT * FROM contacts WHERE username = ? LIMIT 1',
    );
    this.selectAll = db.prepare<[], ContactRow>('SELECT * FROM contacts ORDER BY display_name, user_id');
    this.updateFlags = db.prepare<
      [{ user_id: string; verified: number | null; key_changed: number | null; updated_at: number }]
    >(
      `UPDATE contacts SET verified = coalesce(@verified, verified), key_changed = coalesce(@key_changed, key_changed),
         updated_at = @updated_at WHERE user_id = @user_id`,
    );
    this.updateKey = db.prepare<
      [{ user_id: string; identity_key: Uint8Array; key_changed: number; updated_at: number }]
    >(
      `UPDATE contacts SET identity_key = @identity_key, key_changed = @key_changed, updated_at = @updated_at
       WHERE user_id = @user_id`,
    );
    this.remove = db.prepare<[string]>('DELETE FROM contacts WHERE user_id = ?');
    this.devicePut = db.prepare<[DeviceRow]>(
      `INSERT INTO contact_devices (user_id, device_id, identity_key, updated_at)
       VALUES (@user_id, @device_id, @identity_key, @updated_at)
       ON CONFLICT (user_id, device_id) DO UPDATE SET identity_key = excluded.identity_key, updated_at = excluded.updated_at`,
    );
    this.deviceList = db.prepare<[string], DeviceRow>(
      'SELECT * FROM contact_devices WHERE user_id = ? ORDER BY device_id',
    );
    this.deviceGet = db.prepare<[string, number], DeviceRow>(
      'SELECT * FROM contact_devices WHERE user_id = ? AND device_id = ?',
    );
    this.deviceRemove = db.prepare<[string, number]>(
      'DELETE FROM contact_devices WHERE user_id = ? AND device_id = ?',
    );
  }

  /** Creates or replaces a contact as a whole. */
  put(contact: Contact): void {
    this.upsert.run({
      user_id: contact.userId,
      username: contact.username,
      display_name: contact.displayName,
      identity_key: contact.identityKey,
      verified: contact.verified ? 1 : 0,
      key_changed: contact.keyChanged ? 1 : 0,
      updated_at: contact.updatedAt,
    });
  }

  get(userId: string): Contact | undefined {
    const row = this.selectOne.get(userId);
    return row && toContact(row);
  }

  getByUsername(username: string): Contact | undefined {
    const row = this.selectByUsername.get(username);
    return row && toContact(row);
  }

  list(): Contact[] {
    return this.selectAll.all().map(toContact);
  }

  setVerified(userId: string, verified: boolean, at: number): void {
    this.changeFlags(userId, verified ? 1 : 0, null, at);
  }

  setKeyChanged(userId: string, keyChanged: boolean, at: number): void {
    this.changeFlags(userId, null, keyChanged ? 1 : 0, at);
  }

  /** Records a new identity key; `keyChanged` says whether the user must be shown the change. */
  setIdentityKey(userId: string, identityKey: Uint8Array, keyChanged: boolean, at: number): void {
    const result = this.updateKey.run({
      user_id: userId,
      identity_key: identityKey,
      key_changed: keyChanged ? 1 : 0,
      updated_at: at,
    });
    if (result.changes === 0) throw unknownContact();
  }

  /** Removes the contact and its devices; returns false when there was none. */
  delete(userId: string): boolean {
    return this.remove.run(userId).changes > 0;
  }

  putDevice(address: DeviceAddress, identityKey: Uint8Array, at: number): void {
    if (this.selectOne.get(address.userId) === undefined) throw unknownContact();
    this.devicePut.run({
      user_id: address.userId,
      device_id: address.deviceId,
      identity_key: identityKey,
      updated_at: at,
    });
  }

  getDevice(address: DeviceAddress): ContactDevice | undefined {
    const row = this.deviceGet.get(address.userId, address.deviceId);
    return row && toDevice(row);
  }

  listDevices(userId: string): ContactDevice[] {
    return this.deviceList.all(userId).map(toDevice);
  }

  removeDevice(address: DeviceAddress): boolean {
    return this.deviceRemove.run(address.userId, address.deviceId).changes > 0;
  }

  private changeFlags(userId: string, verified: number | null, keyChanged: number | null, at: number): void {
    const result = this.updateFlags.run({
      user_id: userId,
      verified,
      key_changed: keyChanged,
      updated_at: at,
    });
    if (result.changes === 0) throw unknownContact();
  }
}

function unknownContact(): ParleyError {
  return new ParleyError(
    'CONTACT_UNKNOWN',
    'That person is not in your contacts. Find them by username first.',
  );
}

function toContact(row: ContactRow): Contact {
  return {
    userId: row.user_id,
    username: row.username,
    displayName: row.display_name,
    identityKey: row.identity_key,
    verified: row.verified === 1,
    keyChanged: row.key_changed === 1,
    updatedAt: row.updated_at,
  };
}

function toDevice(row: DeviceRow): ContactDevice {
  return {
    address: { userId: row.user_id, deviceId: row.device_id },
    identityKey: row.identity_key,
    updatedAt: row.updated_at,
  };
}
