/**
 * Messages of all conversations, ordered by the local sequence. Every change that affects a
 * conversation's summary (last message, unread count) updates it in the same transaction.
 */
import { ParleyError } from '../../../shared/errors';
import { type ConversationRow, unknownConversation } from './conversation-repository';
import {
  activityTime,
  allowedTransition,
  checkMessageId,
  checkNewMessage,
  type DeliveryState,
  type MessageRow,
  type NewMessage,
  previewOf,
  type StoredMessage,
  toMessage,
} from './message';
import type { SqliteDatabase } from './open-database';
import { pageLimit } from './page-limit';
import { isConstraintError } from './sqlite-error';
import { scrubWal } from './wal-scrub';

// Keyset pagination on messages_by_conversation (conversation_id, seq): the cost is the page size
// wherever the page is, unlike OFFSET which reads every row it skips. Exported for the plan tests.
export const PAGE_LATEST_SQL = 'SELECT * FROM messages WHERE conversation_id = ? ORDER BY seq DESC LIMIT ?';
export const PAGE_OLDER_SQL =
  'SELECT * FROM messages WHERE conversation_id = ? AND seq < ? ORDER BY seq DESC LIMIT ?';

export interface MessagePage {
  /** Oldest first, as a chat shows them. */
  readonly messages: StoredMessage[];
  /** Pass as `before` for the next older page; null when this page reaches the first message. */
  readonly before: number | null;
}

/** An incoming message that `markRead` just marked, for the read receipt the core sends. */
export interface ReadMessage {
  readonly id: string;
  readonly senderUserId: string;
}

export class MessageRepository {
  private readonly insertRow;
  private readonly touchConversation;
  private readonly selectById;
  private readonly latest;
  private readonly older;
  private readonly newest;
  private readonly updateState;
  private readonly unread;
  private readonly markUnreadRead;
  private readonly clearUnread;
  private readonly removeRow;
  private readonly unreadDelta;
  private readonly setSummary;
  private readonly selectConversation;
  private readonly insertTx;
  private readonly deleteTx;
  private readonly markReadTx;
  private readonly setStateTx;

  constructor(private readonly db: SqliteDatabase) {
    this.insertRow = db.prepare<[Omit<MessageRow, 'seq'>]>(
      `INSERT INTO messages (id, conversation_id, sender_user_id, outgoing, kind, text, sent_at, received_at, state)
       VALUES (@id, @conversation_id, @sender_user_id, @outgoing, @kind, @text, @sent_at, @received_at, @state)
       ON CONFLICT (id) DO NOTHING`,
    );
    this.touchConversation = db.prepare<[{ id: string; at: number; preview: string; unread: number }]>(
      `UPDATE conversations SET last_message_at = @at, last_message_preview = @preview,
         activity_at = max(activity_at, @at), unread_count = unread_count + @unread WHERE id = @id`,
    );
    this.selectById = db.prepare<[string], MessageRow>('SELECT * FROM messages WHERE id = ?');
    this.latest = db.prepare<[string, number], MessageRow>(PAGE_LATEST_SQL);
    this.older = db.prepare<[string, number, number], MessageRow>(PAGE_OLDER_SQL);
    this.newest = db.prepare<[string], MessageRow>(
      'SELECT * FROM messages WHERE conversation_id = ? ORDER BY seq DESC LIMIT 1',
    );
    this.updateState = db.prepare<[DeliveryState, string]>('UPDATE messages SET state = ? WHERE id = ?');
    this.unread = db.prepare<[string], { id: string; sender_user_id: string }>(
      `SELECT id, sender_user_id FROM messages
       WHERE conversation_id = ? AND outgoing = 0 AND state = 'delivered' ORDER BY seq`,
    );
    this.markUnreadRead = db.prepare<[string]>(
      `UPDATE messages SET state = 'read' WHERE conversation_id = ? AND outgoing = 0 AND state = 'delivered'`,
    );
    this.clearUnread = db.prepare<[string]>('UPDATE conversations SET unread_count = 0 WHERE id = ?');
    this.removeRow = db.prepare<[number]>('DELETE FROM messages WHERE seq = ?');
    this.unreadDelta = db.prepare<[number, string]>(
      'UPDATE conversations SET unread_count = max(0, unread_count + ?) WHERE id = ?',
    );
    this.setSummary = db.prepare<[{ id: string; at: number | null; preview: string | null }]>(
      `UPDATE conversations SET last_message_at = @at, last_message_preview = @preview,
         activity_at = coalesce(@at, created_at) WHERE id = @id`,
    );
    this.selectConversation = db.prepare<[string], ConversationRow>(
      'SELECT * FROM conversations WHERE id = ?',
    );

    this.insertTx = db.transaction((message: NewMessage): StoredMessage | undefined => {
      const result = this.insertRow.run({
        id: message.id,
        conversation_id: message.conversationId,
        sender_user_id: message.senderUserId,
        outgoing: message.outgoing ? 1 : 0,
        kind: message.kind,
        text: message.text,
        sent_at: message.sentAt,
        received_at: message.receivedAt,
        state: message.state,
      });
      if (result.changes === 0) return undefined;
      this.touchConversation.run({
        id: message.conversationId,
        at: activityTime(message),
        preview: previewOf(message.text),
        unread: isUnread(message) ? 1 : 0,
      });
      return { ...message, seq: Number(result.lastInsertRowid) };
    });

    this.deleteTx = db.transaction((id: string): boolean => {
      const row = this.selectById.get(id);
      if (row === undefined) return false;
      this.removeRow.run(row.seq);
      if (row.outgoing === 0 && row.state === 'delivered') this.unreadDelta.run(-1, row.conversation_id);
      const newest = this.newest.get(row.conversation_id);
      if (newest === undefined || newest.seq < row.seq) {
        this.setSummary.run({
          id: row.conversation_id,
          at: newest === undefined ? null : activityTime(toMessage(newest)),
          preview: newest === undefined ? null : previewOf(newest.text),
        });
      }
      return true;
    });

    this.markReadTx = db.transaction((conversationId: string): ReadMessage[] => {
      if (this.selectConversation.get(conversationId) === undefined) throw unknownConversation();
      const marked = this.unread
        .all(conversationId)
        .map((r) => ({ id: r.id, senderUserId: r.sender_user_id }));
      if (marked.length > 0) this.markUnreadRead.run(conversationId);
      this.clearUnread.run(conversationId);
      return marked;
    });

    this.setStateTx = db.transaction((id: string, state: DeliveryState): boolean => {
      const row = this.selectById.get(id);
      if (row === undefined) throw unknownMessage();
      if (row.outgoing === 0) {
        throw new ParleyError(
          'INVALID_ARGUMENT',
          'Only the delivery state of a sent message can change this way.',
        );
      }
      if (!allowedTransition(row.state, state)) return false;
      this.updateState.run(state, id);
      return true;
    });
  }

  /**
   * Stores a message and updates its conversation's summary. Returns undefined, changing nothing,
   * when a message with this id is already stored (a duplicate delivery).
   */
  insert(message: NewMessage): StoredMessage | undefined {
    checkNewMessage(message);
    try {
      return this.insertTx(message);
    } catch (error) {
      if (isConstraintError(error, 'FOREIGNKEY')) throw unknownConversation();
      throw error;
    }
  }

  get(id: string): StoredMessage | undefined {
    checkMessageId(id);
    const row = this.selectById.get(id);
    return row && toMessage(row);
  }

  /** The `limit` messages before the cursor (the newest ones without a cursor), oldest first. */
  page(conversationId: string, before?: number | null, limit?: number): MessagePage {
    const n = pageLimit(limit);
    const rows =
      before === undefined || before === null
        ? this.latest.all(conversationId, n + 1)
        : this.older.all(conversationId, before, n + 1);
    const more = rows.length > n;
    const page = (more ? rows.slice(0, n) : rows).map(toMessage).reverse();
    return { messages: page, before: more ? page[0]!.seq : null };
  }

  /** Moves a sent message's delivery state forward; false when the change is stale or not allowed. */
  setState(id: string, state: DeliveryState): boolean {
    checkMessageId(id);
    return this.setStateTx(id, state);
  }

  /** Marks every unread received message of the conversation read; returns those it marked. */
  markRead(conversationId: string): ReadMessage[] {
    return this.markReadTx(conversationId);
  }

  /** Deletes one message from this device (secure_delete, search entry and WAL included). */
  delete(id: string): boolean {
    checkMessageId(id);
    const deleted = this.deleteTx(id);
    if (deleted) scrubWal(this.db);
    return deleted;
  }
}

function isUnread(message: NewMessage): boolean {
  return !message.outgoing && message.state === 'delivered';
}

function unknownMessage(): ParleyError {
  return new ParleyError('NOT_FOUND', 'That message does not exist any more.');
}
