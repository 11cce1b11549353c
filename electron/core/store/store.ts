/**
 * One account's encrypted local store: the open database, its repositories, and `transaction`
 * for changes that must land together (CONVENTIONS: ratchet step + message row + outbox row).
 * All calls are synchronous (better-sqlite3); each statement is prepared once, here.
 */
import { ParleyError } from '../../../shared/errors';
import { AccountRepository } from './account-repository';
import { AttachmentRepository } from './attachment-repository';
import { BlobCleanupRepository } from './blob-cleanup-repository';
import { ContactRepository } from './contact-repository';
import {
  type Conversation,
  type ConversationCursor,
  ConversationRepository,
} from './conversation-repository';
import type { DatabaseKey } from './database-key';
import { IdentityRepository } from './identity-repository';
import { type MessagePage, MessageRepository, type ReadMessage } from './message-repository';
import { MessageSearch, type SearchPage } from './message-search';
import { MIGRATIONS, type Migration, migrate } from './migrations';
import { openEncryptedDatabase, type SqliteDatabase } from './open-database';
import { OutboxRepository } from './outbox-repository';
import { PrekeyRepository } from './prekey-repository';
import { SeenMessageRepository } from './seen-message-repository';
import { SessionRepository } from './session-repository';
import { SettingsRepository } from './settings-repository';

export class Store {
  readonly account: AccountRepository;
  readonly identity: IdentityRepository;
  readonly prekeys: PrekeyRepository;
  readonly contacts: ContactRepository;
  readonly sessions: SessionRepository;
  readonly conversations: ConversationRepository;
  readonly messages: MessageRepository;
  readonly search: MessageSearch;
  readonly outbox: OutboxRepository;
  readonly seen: SeenMessageRepository;
  readonly settings: SettingsRepository;
  readonly attachments: AttachmentRepository;
  readonly blobCleanup: BlobCleanupRepository;

  /**
   * Opens (creating if absent) the database at `path` with its key and migrates it. The key is
   * not kept: the caller wipes it once this returns.
   */
  static open(path: string, key: DatabaseKey, migrations: readonly Migration[] = MIGRATIONS): Store {
    const db = openEncryptedDatabase(path, key);
    try {
      migrate(db, migrations);
      return new Store(db);
    } catch (error) {
      db.close();
      throw error;
    }
  }

  private constructor(private readonly db: SqliteDatabase) {
    this.account = new AccountRepository(db);
    this.identity = new IdentityRepository(db);
    this.prekeys = new PrekeyRepository(db);
    this.contacts = new ContactRepository(db);
    this.sessions = new SessionRepository(db);
    this.conversations = new ConversationRepository(db);
    this.messages = new MessageRepository(db);
    this.search = new MessageSearch(db);
    this.outbox = new OutboxRepository(db);
    this.seen = new SeenMessageRepository(db);
    this.settings = new SettingsRepository(db);
    this.attachments = new AttachmentRepository(db);
    this.blobCleanup = new BlobCleanupRepository(db);
  }

  get isOpen(): boolean {
    return this.db.open;
  }

  /**
   * Runs `fn` in one transaction: everything it wrote commits together, or, if it throws, none of
   * it does. Nested calls become savepoints. `fn` must be synchronous: no await inside.
   */
  transaction<T>(fn: () => T): T {
    return this.db.transaction(() => {
      const result = fn();
      if (result instanceof Promise) {
        throw new ParleyError(
          'INTERNAL',
          'A store transaction cannot wait for anything; finish async work first.',
        );
      }
      return result;
    })();
  }

  /** The conversation list's top `limit` (50 by default), most recent activity first. */
  listConversations(limit?: number, after?: ConversationCursor): Conversation[] {
    return this.conversations.list(limit, after);
  }

  /** A page of a chat, oldest first: the newest messages, or those before the `before` cursor. */
  pageMessages(conversationId: string, before?: number | null, limit?: number): MessagePage {
    return this.messages.page(conversationId, before, limit);
  }

  /** Messages of all conversations matching the query, newest first (see search-query.ts). */
  searchMessages(query: string, limit?: number, before?: number | null): SearchPage {
    return this.search.search(query, limit, before);
  }

  markRead(conversationId: string): ReadMessage[] {
    return this.messages.markRead(conversationId);
  }

  deleteMessage(messageId: string): boolean {
    return this.messages.delete(messageId);
  }

  deleteConversation(conversationId: string): boolean {
    return this.conversations.delete(conversationId);
  }

  /** Checkpoints and closes; the -wal file is folded into the database and removed. */
  close(): void {
    if (this.db.open) this.db.close();
  }
}
