/**
 * Ids of envelopes already processed, so a duplicate delivery or a replay is dropped even when
 * its message row was since deleted. Pruned after a retention window; the core must also refuse
 * envelopes older than that window, or a replay could outlive its record.
 */
import type { SqliteDatabase } from './open-database';

export const DEFAULT_SEEN_RETENTION_MS = 30 * 24 * 60 * 60 * 1000;

export class SeenMessageRepository {
  private readonly insert;
  private readonly select;
  private readonly pruneOld;

  constructor(db: SqliteDatabase) {
    this.insert = db.prepare<[string, number]>(
      'INSERT INTO seen_messages (message_id, seen_at) VALUES (?, ?) ON CONFLICT (message_id) DO NOTHING',
    );
    this.select = db.prepare<[string], number>('SELECT 1 FROM seen_messages WHERE message_id = ?').pluck();
    this.pruneOld = db.prepare<[number]>('DELETE FROM seen_messages WHERE seen_at < ?');
  }

  /** Records the id; true the first time, false for a duplicate or replay. */
  markSeen(messageId: string, seenAt: number): boolean {
    return this.insert.run(messageId, seenAt).changes > 0;
  }

  hasSeen(messageId: string): boolean {
    return this.select.get(messageId) !== undefined;
  }

  /** Forgets ids seen more than `retentionMs` before `now`; returns how many. */
  prune(now: number, retentionMs: number = DEFAULT_SEEN_RETENTION_MS): number {
    return this.pruneOld.run(now - retentionMs).changes;
  }
}
