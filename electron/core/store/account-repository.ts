/** This device's own account: one row, written at set-up and on profile changes. */
import { ParleyError } from '../../../shared/errors';
import type { SqliteDatabase } from './open-database';

export interface Account {
  readonly userId: string;
  readonly deviceId: number;
  readonly username: string;
  readonly displayName: string;
  readonly relayUrl: string;
  readonly createdAt: number;
}

interface AccountRow {
  user_id: string;
  device_id: number;
  username: string;
  display_name: string;
  relay_url: string;
  created_at: number;
}

export class AccountRepository {
  private readonly select;
  private readonly insert;
  private readonly updateProfile;

  constructor(db: SqliteDatabase) {
    this.select = db.prepare<[], AccountRow>('SELECT * FROM account WHERE id = 1');
    this.insert = db.prepare<[AccountRow]>(
      `INSERT INTO account (id, user_id, device_id, username, display_name, relay_url, created_at)
       VALUES (1, @user_id, @device_id, @username, @display_name, @relay_url, @created_at)`,
    );
    this.updateProfile = db.prepare<
      [{ display_name: string | null; relay_url: string | null; username: string | null }]
    >(
      `UPDATE account SET display_name = coalesce(@display_name, display_name),
         relay_url = coalesce(@relay_url, relay_url), username = coalesce(@username, username) WHERE id = 1`,
    );
  }

  get(): Account | undefined {
    const row = this.select.get();
    return (
      row && {
        userId: row.user_id,
        deviceId: row.device_id,
        username: row.username,
        displayName: row.display_name,
        relayUrl: row.relay_url,
        createdAt: row.created_at,
      }
    );
  }

  /** Records the account once; a second set-up of the same database is refused. */
  create(account: Account): void {
    if (this.select.get() !== undefined) {
      throw new ParleyError('ACCOUNT_EXISTS', 'This device already has an account set up.');
    }
    this.insert.run({
      user_id: account.userId,
      device_id: account.deviceId,
      username: account.username,
      display_name: account.displayName,
      relay_url: account.relayUrl,
      created_at: account.createdAt,
    });
  }

  update(patch: { displayName?: string; relayUrl?: string; username?: string }): Account {
    const result = this.updateProfile.run({
      display_name: patch.displayName ?? null,
      relay_url: patch.relayUrl ?? null,
      username: patch.username ?? null,
    });
    const account = this.get();
    if (result.changes === 0 || account === undefined) {
      throw new ParleyError('ACCOUNT_MISSING', 'There is no account on this device yet. Set one up first.');
    }
    return account;
  }
}
