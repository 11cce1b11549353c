/**
 * Relay blobs this device is done with, still to delete (its own, of deleted messages) or to
 * release (received: downloaded and verified, or deleted unfetched), kept until the relay
 * confirms, so what happened offline still reaches it. No key is kept here.
 */
import type { SqliteDatabase } from './open-database';

export interface BlobCleanup {
  readonly blobId: string;
  /** Null: delete as the uploader; otherwise release as a recipient with this capability. */
  readonly capabilityToken: string | null;
  readonly createdAt: number;
}

interface BlobCleanupRow {
  blob_id: string;
  capability_token: string | null;
  created_at: number;
}

export class BlobCleanupRepository {
  private readonly insert;
  private readonly selectSome;
  private readonly removeOne;

  constructor(db: SqliteDatabase) {
    this.insert = db.prepare<[string, string | null, number]>(
      'INSERT INTO blob_cleanup (blob_id, capability_token, created_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING',
    );
    this.selectSome = db.prepare<[number], BlobCleanupRow>(
      'SELECT * FROM blob_cleanup ORDER BY created_at LIMIT ?',
    );
    this.removeOne = db.prepare<[string]>('DELETE FROM blob_cleanup WHERE blob_id = ?');
  }

  add(blobId: string, capabilityToken: string | null, at: number): void {
    this.insert.run(blobId, capabilityToken, at);
  }

  /** The oldest `limit` blobs still to clean up. */
  pending(limit = 100): BlobCleanup[] {
    return this.selectSome.all(limit).map((r) => ({
      blobId: r.blob_id,
      capabilityToken: r.capability_token,
      createdAt: r.created_at,
    }));
  }

  remove(blobId: string): void {
    this.removeOne.run(blobId);
  }
}
