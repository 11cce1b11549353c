/** Small per-account preferences (theme, notification choices...), each a JSON value by key. */
import { ParleyError } from '../../../shared/errors';
import type { SqliteDatabase } from './open-database';

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

export class SettingsRepository {
  private readonly select;
  private readonly upsert;
  private readonly remove;

  constructor(db: SqliteDatabase) {
    this.select = db.prepare<[string], string>('SELECT value FROM settings WHERE key = ?').pluck();
    this.upsert = db.prepare<[string, string]>(
      'INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
    );
    this.remove = db.prepare<[string]>('DELETE FROM settings WHERE key = ?');
  }

  /** The stored value, or undefined. The caller validates its shape (it may come from an older version). */
  get(key: string): JsonValue | undefined {
    const text = this.select.get(key);
    if (text === undefined) return undefined;
    try {
      return JSON.parse(text) as JsonValue;
    } catch (error) {
      throw new ParleyError('STORE_CORRUPT', 'A saved setting is damaged. Set it again.', { cause: error });
    }
  }

  set(key: string, value: JsonValue): void {
    if (key.length === 0) throw new ParleyError('INVALID_ARGUMENT', 'A setting needs a name.');
    this.upsert.run(key, JSON.stringify(value));
  }

  delete(key: string): boolean {
    return this.remove.run(key).changes > 0;
  }
}
