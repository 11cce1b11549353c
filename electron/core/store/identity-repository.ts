/** This device's identity key pair, as the crypto layer serializes it. One row. */
import type { SqliteDatabase } from './open-database';

export class IdentityRepository {
  private readonly select;
  private readonly upsert;

  constructor(db: SqliteDatabase) {
    this.select = db.prepare<[], { key_pair: Buffer }>('SELECT key_pair FROM identity WHERE id = 1');
    this.upsert = db.prepare<[Uint8Array, number]>(
      `INSERT INTO identity (id, key_pair, created_at) VALUES (1, ?, ?)
       ON CONFLICT (id) DO UPDATE SET key_pair = excluded.key_pair, created_at = excluded.created_at`,
    );
  }

  /** The serialized key pair, or undefined before set-up. The caller wipes it after use. */
  get(): Uint8Array | undefined {
    return this.select.get()?.key_pair;
  }

  put(keyPair: Uint8Array, createdAt: number): void {
    this.upsert.run(keyPair, createdAt);
  }
}
