/**
 * This device's private prekeys (PQXDH §3.1), as serialized records owned by the crypto layer:
 * signed EC prekeys (rotated, kept a while after retirement for late session set-ups), one-time
 * EC prekeys and one-time ML-KEM prekeys (removed once consumed), and last-resort ML-KEM prekeys.
 */
import type { SqliteDatabase } from './open-database';

export interface SignedPrekeyInfo {
  readonly id: number;
  readonly createdAt: number;
  readonly retiredAt: number | null;
}

export interface KemPrekeyInfo extends SignedPrekeyInfo {
  readonly lastResort: boolean;
}

interface SignedRow {
  id: number;
  created_at: number;
  retired_at: number | null;
}

interface KemRow extends SignedRow {
  last_resort: number;
}

export class PrekeyRepository {
  private readonly signedPut;
  private readonly signedGet;
  private readonly signedList;
  private readonly signedRetire;
  private readonly signedPurge;
  private readonly oneTimePut;
  private readonly oneTimeGet;
  private readonly oneTimeRemove;
  private readonly oneTimeCount;
  private readonly oneTimeMaxId;
  private readonly kemPut;
  private readonly kemGet;
  private readonly kemRemoveOneTime;
  private readonly kemCountOneTime;
  private readonly kemList;
  private readonly kemRetire;
  private readonly kemPurge;
  private readonly kemMaxId;
  private readonly putManyOneTime;

  constructor(db: SqliteDatabase) {
    this.signedPut = db.prepare<[number, Uint8Array, number]>(
      `INSERT INTO signed_prekeys (id, record, created_at) VALUES (?, ?, ?)
       ON CONFLICT (id) DO UPDATE SET record = excluded.record, created_at = excluded.created_at, retired_at = NULL`,
    );
    this.signedGet = db.prepare<[number], { record: Buffer }>(
      'SELECT record FROM signed_prekeys WHERE id = ?',
    );
    this.signedList = db.prepare<[], SignedRow>(
      'SELECT id, created_at, retired_at FROM signed_prekeys ORDER BY created_at DESC, id DESC',
    );
    this.signedRetire = db.prepare<[number, number]>(
      'UPDATE signed_prekeys SET retired_at = ? WHERE id = ? AND retired_at IS NULL',
    );
    this.signedPurge = db.prepare<[number]>(
      'DELETE FROM signed_prekeys WHERE retired_at IS NOT NULL AND retired_at < ?',
    );
    this.oneTimePut = db.prepare<[number, Uint8Array, number]>(
      'INSERT OR REPLACE INTO one_time_prekeys (id, record, created_at) VALUES (?, ?, ?)',
    );
    this.oneTimeGet = db.prepare<[number], { record: Buffer }>(
      'SELECT record FROM one_time_prekeys WHERE id = ?',
    );
    this.oneTimeRemove = db.prepare<[number]>('DELETE FROM one_time_prekeys WHERE id = ?');
    this.oneTimeCount = db.prepare<[], number>('SELECT count(*) FROM one_time_prekeys').pluck();
    this.oneTimeMaxId = db.prepare<[], number | null>('SELECT max(id) FROM one_time_prekeys').pluck();
    this.kemPut = db.prepare<[number, Uint8Array, number, number]>(
      `INSERT INTO kem_prekeys (id, record, last_resort, created_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (id) DO UPDATE SET record = excluded.record, last_resort = excluded.last_resort,
         created_at = excluded.created_at, retired_at = NULL`,
    );
    this.kemGet = db.prepare<[number], KemRow & { record: Buffer }>(
      'SELECT id, record, created_at, retired_at, last_resort FROM kem_prekeys WHERE id = ?',
    );
    this.kemRemoveOneTime = db.prepare<[number]>('DELETE FROM kem_prekeys WHERE id = ? AND last_resort = 0');
    this.kemCountOneTime = db
      .prepare<[], number>('SELECT count(*) FROM kem_prekeys WHERE last_resort = 0')
      .pluck();
    this.kemList = db.prepare<[], KemRow>(
      'SELECT id, created_at, retired_at, last_resort FROM kem_prekeys ORDER BY created_at DESC, id DESC',
    );
    this.kemRetire = db.prepare<[number, number]>(
      'UPDATE kem_prekeys SET retired_at = ? WHERE id = ? AND last_resort = 1 AND retired_at IS NULL',
    );
    this.kemPurge = db.prepare<[number]>(
      'DELETE FROM kem_prekeys WHERE last_resort = 1 AND retired_at IS NOT NULL AND retired_at < ?',
    );
    this.kemMaxId = db.prepare<[], number | null>('SELECT max(id) FROM kem_prekeys').pluck();
    this.putManyOneTime = db.transaction((records: readonly PrekeyRecord[], createdAt: number) => {
      for (const { id, record } of records) this.oneTimePut.run(id, record, createdAt);
    });
  }

  // Signed EC prekeys

  putSignedPrekey(id: number, record: Uint8Array, createdAt: number): void {
    this.signedPut.run(id, record, createdAt);
  }

  getSignedPrekey(id: number): Uint8Array | undefined {
    return this.signedGet.get(id)?.record;
  }

  /** Newest first; the first one not retired is the one currently published. */
  listSignedPrekeys(): SignedPrekeyInfo[] {
    return this.signedList.all().map(toSignedInfo);
  }

  retireSignedPrekey(id: number, retiredAt: number): boolean {
    return this.signedRetire.run(retiredAt, id).changes > 0;
  }

  /** Removes signed prekeys retired before `cutoff`; returns how many. */
  removeSignedPrekeysRetiredBefore(cutoff: number): number {
    return this.signedPurge.run(cutoff).changes;
  }

  // One-time EC prekeys

  putOneTimePrekeys(records: readonly PrekeyRecord[], createdAt: number): void {
    this.putManyOneTime(records, createdAt);
  }

  getOneTimePrekey(id: number): Uint8Array | undefined {
    return this.oneTimeGet.get(id)?.record;
  }

  /** Removes a consumed one-time prekey; false when it was already gone (a reused prekey). */
  removeOneTimePrekey(id: number): boolean {
    return this.oneTimeRemove.run(id).changes > 0;
  }

  countOneTimePrekeys(): number {
    return this.oneTimeCount.get() ?? 0;
  }

  /** The highest id in use, so replenishment continues after it (0 when there are none). */
  maxOneTimePrekeyId(): number {
    return this.oneTimeMaxId.get() ?? 0;
  }

  // ML-KEM prekeys (one-time and last resort)

  putKemPrekey(id: number, record: Uint8Array, lastResort: boolean, createdAt: number): void {
    this.kemPut.run(id, record, lastResort ? 1 : 0, createdAt);
  }

  getKemPrekey(id: number): (KemPrekeyInfo & { readonly record: Uint8Array }) | undefined {
    const row = this.kemGet.get(id);
    return row && { ...toKemInfo(row), record: row.record };
  }

  /** Removes a consumed one-time KEM prekey; a last-resort key is never removed this way. */
  removeOneTimeKemPrekey(id: number): boolean {
    return this.kemRemoveOneTime.run(id).changes > 0;
  }

  countOneTimeKemPrekeys(): number {
    return this.kemCountOneTime.get() ?? 0;
  }

  maxKemPrekeyId(): number {
    return this.kemMaxId.get() ?? 0;
  }

  listKemPrekeys(): KemPrekeyInfo[] {
    return this.kemList.all().map(toKemInfo);
  }

  retireLastResortKemPrekey(id: number, retiredAt: number): boolean {
    return this.kemRetire.run(retiredAt, id).changes > 0;
  }

  removeLastResortKemPrekeysRetiredBefore(cutoff: number): number {
    return this.kemPurge.run(cutoff).changes;
  }
}

export interface PrekeyRecord {
  readonly id: number;
  readonly record: Uint8Array;
}

function toSignedInfo(row: SignedRow): SignedPrekeyInfo {
  return { id: row.id, createdAt: row.created_at, retiredAt: row.retired_at };
}

function toKemInfo(row: KemRow): KemPrekeyInfo {
  return { ...toSignedInfo(row), lastResort: row.last_resort === 1 };
}
