/**
 * 1:1 conversations and the summary the conversation list shows (last message, unread count),
 * which the message repository keeps current in the same transaction as each message change.
 */
import { ParleyError } from '../../../shared/errors';
import type { SqliteDatabase } from './open-database';
import { pageLimit } from './page-limit';
import { isConstraintError } from './sqlite-error';
import { scrubWal } from './wal-scrub';

export interface Conversation {
  readonly id: string;
  readonly peerUserId: string;
  readonly createdAt: number;
  readonly lastMessageAt: number | null;
  readonly lastMessagePreview: string | null;
  /** What the list is ordered by: the last message's time, or the creation time before one. */
  readonly activityAt: number;
  readonly unreadCount: number;
  readonly muted: boolean;
  /** When a mute ends (ms since the epoch); null: until unmuted (or not muted). */
  readonly mutedUntil: number | null;
}

/** A position in the conversation list, from the last conversation of the previous page. */
export interface ConversationCursor {
  readonly activityAt: number;
  readonly id: string;
}

export interface ConversationRow {
  id: string;
  peer_user_id: string;
  created_at: number;
  last_message_at: number | null;
  last_message_preview: string | null;
  activity_at: number;
  unread_count: number;
  muted: number;
  muted_until: number | null;
}

// Both walk conversations_by_activity from the top: the cost is the page size, not the number of
// conversations. Exported for the query-plan tests.
export const LIST_TOP_SQL = 'SELECT * FROM conversations ORDER BY activity_at DESC, id DESC LIMIT ?';
export const LIST_AFTER_SQL =
  'SELECT * FROM conversations WHERE (activity_at, id) < (?, ?) ORDER BY activity_at DESC, id DESC LIMIT ?';

export class ConversationRepository {
  private readonly insert;
  private readonly selectOne;
  private readonly selectByPeer;
  private readonly top;
  private readonly after;
  private readonly mute;
  private readonly remove;

  constructor(private readonly db: SqliteDatabase) {
    this.insert = db.prepare<[string, string, number, number]>(
      'INSERT INTO conversations (id, peer_user_id, created_at, activity_at) VALUES (?, ?, ?, ?)',
    );
    this.selectOne = db.prepare<[string], ConversationRow>('SELECT * FROM conversations WHERE id = ?');
    this.selectByPeer = db.prepare<[string], ConversationRow>(
      'SELECT * FROM conversations WHERE peer_user_id = ?',
    );
    this.top = db.prepare<[number], ConversationRow>(LIST_TOP_SQL);
    this.after = db.prepare<[number, string, number], ConversationRow>(LIST_AFTER_SQL);
    this.mute = db.prepare<[number, number | null, string]>(
      'UPDATE conversations SET muted = ?, muted_until = ? WHERE id = ?',
    );
    this.remove = db.prepare<[string]>('DELETE FROM conversations WHERE id = ?');
  }

  create(conversation: { id: string; peerUserId: string; createdAt: number }): Conversation {
    if (conversation.id.length === 0 || conversation.peerUserId.length === 0) {
      throw new ParleyError('INVALID_ARGUMENT', 'A conversation needs an id and a peer.');
    }
    try {
      const { id, peerUserId, createdAt } = conversation;
      this.insert.run(id, peerUserId, createdAt, createdAt);
    } catch (error) {
      if (isConstraintError(error)) {
        throw new ParleyError('CONFLICT', 'There is already a conversation with that person.', {
          cause: error,
        });
      }
      throw error;
    }
    return this.get(conversation.id)!;
  }

  get(id: string): Conversation | undefined {
    const row = this.selectOne.get(id);
    return row && toConversation(row);
  }

  getByPeer(peerUserId: string): Conversation | undefined {
    const row = this.selectByPeer.get(peerUserId);
    return row && toConversation(row);
  }

  /** Most recent activity first; pass the last one of a page as `after` for the next page. */
  list(limit?: number, after?: ConversationCursor): Conversation[] {
    const n = pageLimit(limit);
    const rows = after === undefined ? this.top.all(n) : this.after.all(after.activityAt, after.id, n);
    return rows.map(toConversation);
  }

  /** Mutes (until `until`, or until unmuted when null) or unmutes. */
  setMuted(id: string, muted: boolean, until: number | null = null): void {
    if (this.mute.run(muted ? 1 : 0, muted ? until : null, id).changes === 0) throw unknownConversation();
  }

  /**
   * Deletes the conversation and all its messages (their search entries go with them, through the
   * triggers). With secure_delete and the WAL scrub, the texts are gone from the files.
   */
  delete(id: string): boolean {
    const deleted = this.remove.run(id).changes > 0;
    if (deleted) scrubWal(this.db);
    return deleted;
  }
}

export function unknownConversation(): ParleyError {
  return new ParleyError('NOT_FOUND', 'That conversation does not exist any more.');
}

export function toConversation(row: ConversationRow): Conversation {
  return {
    id: row.id,
    peerUserId: row.peer_user_id,
    createdAt: row.created_at,
    lastMessageAt: row.last_message_at,
    lastMessagePreview: row.last_message_preview,
    activityAt: row.activity_at,
    unreadCount: row.unread_count,
    muted: row.muted === 1,
    mutedUntil: row.muted === 1 ? row.muted_until : null,
  };
}
