/**
 * Sealed envelopes waiting for the relay's acknowledgement, one per recipient device. Rows are
 * written in the same transaction as the ratchet step that produced them, so a restart resends
 * exactly what was encrypted, never re-encrypts, and never loses a message.
 */
import type { DeviceAddress } from '../../../shared/address';
import { ParleyError } from '../../../shared/errors';
import type { SqliteDatabase } from './open-database';
import { pageLimit } from './page-limit';
import { isConstraintError } from './sqlite-error';

export interface OutboxEntry {
  readonly id: number;
  readonly messageId: string;
  readonly recipient: DeviceAddress;
  readonly envelope: Uint8Array;
  readonly attempts: number;
  readonly nextAttemptAt: number;
  readonly createdAt: number;
}

export interface NewOutboxEntry {
  readonly messageId: string;
  readonly recipient: DeviceAddress;
  readonly envelope: Uint8Array;
  readonly nextAttemptAt: number;
  readonly createdAt: number;
}

interface OutboxRow {
  id: number;
  message_id: string;
  recipient_user_id: string;
  recipient_device_id: number;
  envelope: Uint8Array;
  attempts: number;
  next_attempt_at: number;
  created_at: number;
}

export class OutboxRepository {
  private readonly insert;
  private readonly selectOne;
  private readonly selectDue;
  private readonly selectAll;
  private readonly attempt;
  private readonly removeOne;
  private readonly removeMessage;
  private readonly removeConversation;
  private readonly count;
  private readonly nextDue;

  constructor(db: SqliteDatabase) {
    this.insert = db.prepare<[Omit<OutboxRow, 'id' | 'attempts'>]>(
      `INSERT INTO outbox (message_id, recipient_user_id, recipient_device_id, envelope, next_attempt_at, created_at)
       VALUES (@message_id, @recipient_user_id, @recipient_device_id, @envelope, @next_attempt_at, @created_at)`,
    );
    this.selectOne = db.prepare<[number], OutboxRow>('SELECT * FROM outbox WHERE id = ?');
    this.selectDue = db.prepare<[number, number], OutboxRow>(
      'SELECT * FROM outbox WHERE next_attempt_at <= ? ORDER BY next_attempt_at, id LIMIT ?',
    );
    this.selectAll = db.prepare<[string], OutboxRow>('SELECT * FROM outbox WHERE message_id = ? ORDER BY id');
    this.attempt = db.prepare<[number, number]>(
      'UPDATE outbox SET attempts = attempts + 1, next_attempt_at = ? WHERE id = ?',
    );
    this.removeOne = db.prepare<[number]>('DELETE FROM outbox WHERE id = ?');
    this.removeMessage = db.prepare<[string]>('DELETE FROM outbox WHERE message_id = ?');
    this.removeConversation = db.prepare<[string]>(
      'DELETE FROM outbox WHERE message_id IN (SELECT id FROM messages WHERE conversation_id = ?)',
    );
    this.count = db.prepare<[], number>('SELECT count(*) FROM outbox').pluck();
    this.nextDue = db.prepare<[], number | null>('SELECT min(next_attempt_at) FROM outbox').pluck();
  }

  enqueue(entry: NewOutboxEntry): OutboxEntry {
    try {
      const result = this.insert.run({
        message_id: entry.messageId,
        recipient_user_id: entry.recipient.userId,
        recipient_device_id: entry.recipient.deviceId,
        envelope: entry.envelope,
        next_attempt_at: entry.nextAttemptAt,
        created_at: entry.createdAt,
      });
      return { ...entry, id: Number(result.lastInsertRowid), attempts: 0 };
    } catch (error) {
      if (isConstraintError(error, 'UNIQUE')) {
        throw new ParleyError('CONFLICT', 'That message is already queued for that device.', {
          cause: error,
        });
      }
      throw error;
    }
  }

  get(id: number): OutboxEntry | undefined {
    const row = this.selectOne.get(id);
    return row && toEntry(row);
  }

  /** Entries whose next attempt is due at `now`, earliest first. */
  due(now: number, limit?: number): OutboxEntry[] {
    return this.selectDue.all(now, pageLimit(limit)).map(toEntry);
  }

  forMessage(messageId: string): OutboxEntry[] {
    return this.selectAll.all(messageId).map(toEntry);
  }

  /** Counts a failed or unacknowledged attempt and schedules the next one. */
  recordAttempt(id: number, nextAttemptAt: number): void {
    this.attempt.run(nextAttemptAt, id);
  }

  /** Removes an entry once the relay acknowledged it (or it was given up). */
  remove(id: number): boolean {
    return this.removeOne.run(id).changes > 0;
  }

  removeForMessage(messageId: string): number {
    return this.removeMessage.run(messageId).changes;
  }

  /** Drops what is still to send of a conversation's messages (it is being deleted). */
  removeForConversation(conversationId: string): number {
    return this.removeConversation.run(conversationId).changes;
  }

  size(): number {
    return this.count.get() ?? 0;
  }

  /** When the earliest entry is due, for the retry timer; null when the outbox is empty. */
  nextAttemptAt(): number | null {
    return this.nextDue.get() ?? null;
  }
}

function toEntry(row: OutboxRow): OutboxEntry {
  return {
    id: row.id,
    messageId: row.message_id,
    recipient: { userId: row.recipient_user_id, deviceId: row.recipient_device_id },
    envelope: row.envelope,
    attempts: row.attempts,
    nextAttemptAt: row.next_attempt_at,
    createdAt: row.created_at,
  };
}
