/**
 * Full-text search over all messages, newest first. FTS5 walks the matching doclist from the
 * highest rowid (= the newest seq) and stops after the page, so a word found in most messages
 * costs about as much as a rare one; no ranking of every match is ever computed.
 */
import type { MessageRow, StoredMessage } from './message';
import { toMessage } from './message';
import type { SqliteDatabase } from './open-database';
import { pageLimit } from './page-limit';
import { parseSearchQuery, toFts5Query } from './search-query';

// CROSS JOIN keeps the FTS table as the outer loop, so ORDER BY rowid DESC LIMIT is served by FTS5
// itself rather than by sorting every match. Exported for the query-plan tests.
export const SEARCH_NEWEST_SQL = `SELECT m.* FROM messages_fts CROSS JOIN messages AS m ON m.seq = messages_fts.rowid
  WHERE messages_fts MATCH ? ORDER BY messages_fts.rowid DESC LIMIT ?`;
export const SEARCH_OLDER_SQL = `SELECT m.* FROM messages_fts CROSS JOIN messages AS m ON m.seq = messages_fts.rowid
  WHERE messages_fts MATCH ? AND messages_fts.rowid < ? ORDER BY messages_fts.rowid DESC LIMIT ?`;

export interface SearchPage {
  /** Newest first. */
  readonly messages: StoredMessage[];
  /** Pass as `before` for the next (older) page of results; null when there are no more. */
  readonly before: number | null;
}

export class MessageSearch {
  private readonly newest;
  private readonly older;

  constructor(db: SqliteDatabase) {
    this.newest = db.prepare<[string, number], MessageRow>(SEARCH_NEWEST_SQL);
    this.older = db.prepare<[string, number, number], MessageRow>(SEARCH_OLDER_SQL);
  }

  search(query: string, limit?: number, before?: number | null): SearchPage {
    const n = pageLimit(limit);
    const terms = parseSearchQuery(query);
    if (terms.length === 0) return { messages: [], before: null };
    const match = toFts5Query(terms);
    const rows =
      before === undefined || before === null
        ? this.newest.all(match, n + 1)
        : this.older.all(match, before, n + 1);
    const more = rows.length > n;
    const messages = (more ? rows.slice(0, n) : rows).map(toMessage);
    return { messages, before: more ? messages.at(-1)!.seq : null };
  }
}
