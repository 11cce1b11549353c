/** Double Ratchet session state per peer device, as the crypto layer serializes it. */
import type { DeviceAddress } from '../../../shared/address';
import type { SqliteDatabase } from './open-database';

export class SessionRepository {
  private readonly select;
  private readonly upsert;
  private readonly remove;
  private readonly removeUser;
  private readonly devices;

  constructor(db: SqliteDatabase) {
    this.select = db.prepare<[string, number], { state: Buffer }>(
      'SELECT state FROM sessions WHERE user_id = ? AND device_id = ?',
    );
    this.upsert = db.prepare<[string, number, Uint8Array, number]>(
      `INSERT INTO sessions (user_id, device_id, state, updated_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (user_id, device_id) DO UPDATE SET state = excluded.state, updated_at = excluded.updated_at`,
    );
    this.remove = db.prepare<[string, number]>('DELETE FROM sessions WHERE user_id = ? AND device_id = ?');
    this.removeUser = db.prepare<[string]>('DELETE FROM sessions WHERE user_id = ?');
    this.devices = db
      .prepare<[string], number>('SELECT device_id FROM sessions WHERE user_id = ? ORDER BY device_id')
      .pluck();
  }

  /** The serialized state, or undefined when there is no session. The caller wipes it after use. */
  get(address: DeviceAddress): Uint8Array | undefined {
    return this.select.get(address.userId, address.deviceId)?.state;
  }

  put(address: DeviceAddress, state: Uint8Array, updatedAt: number): void {
    this.upsert.run(address.userId, address.deviceId, state, updatedAt);
  }

  delete(address: DeviceAddress): boolean {
    return this.remove.run(address.userId, address.deviceId).changes > 0;
  }

  deleteAllFor(userId: string): number {
    return this.removeUser.run(userId).changes;
  }

  /** The addresses of a user's devices that have a session with us. */
  addressesOf(userId: string): DeviceAddress[] {
    return this.devices.all(userId).map((deviceId) => ({ userId, deviceId }));
  }
}
