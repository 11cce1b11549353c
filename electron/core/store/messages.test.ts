import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { LIST_AFTER_SQL, LIST_TOP_SQL } from './conversation-repository';
import type { NewMessage } from './message';
import { PAGE_LATEST_SQL, PAGE_OLDER_SQL } from './message-repository';
import { SEARCH_NEWEST_SQL, SEARCH_OLDER_SQL } from './message-search';
import { openEncryptedDatabase } from './open-database';
import { loadSodium, type Sodium } from './sodium';
import type { Store } from './store';
import { messageId, openTempStore } from './test-support';

let sodium: Sodium;
const cleanups: Array<() => void> = [];
beforeAll(async () => {
  sodium = await loadSodium();
});
afterEach(() => {
  for (const cleanup of cleanups.splice(0).reverse()) cleanup();
});

function world() {
  const temp = openTempStore(sodium);
  cleanups.push(temp.remove);
  return temp;
}

let nextId = 1;
function message(conversationId: string, text: string, overrides: Partial<NewMessage> = {}): NewMessage {
  const n = nextId++;
  return {
    id: messageId(n),
    conversationId,
    senderUserId: 'bob',
    outgoing: false,
    kind: 'text',
    text,
    sentAt: 1_000 + n,
    receivedAt: 2_000 + n,
    state: 'delivered',
    ...overrides,
  };
}

function withConversations(store: Store, ...peers: string[]): void {
  peers.forEach((peer, i) => {
    store.conversations.create({ id: `c-${peer}`, peerUserId: peer, createdAt: 100 + i });
  });
}

describe('conversations and their summary', () => {
  it('keeps last message, preview, time and unread count current as messages arrive', () => {
    const { store } = world();
    withConversations(store, 'bob');
    store.messages.insert(message('c-bob', 'first'));
    const second = store.messages.insert(message('c-bob', '  hello\n\nthere  ', { receivedAt: 9_000 }))!;
    store.messages.insert(
      message('c-bob', 'mine', { outgoing: true, senderUserId: 'alice', state: 'sending', sentAt: 9_500 }),
    );
    const conversation = store.conversations.get('c-bob')!;
    expect(conversation).toMatchObject({
      peerUserId: 'bob',
      lastMessagePreview: 'mine',
      lastMessageAt: 9_500,
      activityAt: 9_500,
      unreadCount: 2,
      muted: false,
    });
    expect(second.seq).toBeGreaterThan(0);
    expect(store.conversations.getByPeer('bob')?.id).toBe('c-bob');
  });

  it('lists conversations by latest activity, newest first, with a cursor for more', () => {
    const { store } = world();
    withConversations(store, 'a', 'b', 'c', 'd');
    store.messages.insert(message('c-b', 'x', { receivedAt: 50_000 }));
    store.messages.insert(message('c-d', 'y', { receivedAt: 40_000 }));
    const top = store.listConversations(3);
    expect(top.map((c) => c.id)).toEqual(['c-b', 'c-d', 'c-c']);
    const last = top.at(-1)!;
    expect(store.listConversations(3, { activityAt: last.activityAt, id: last.id }).map((c) => c.id)).toEqual(
      ['c-a'],
    );
  });

  it('refuses a second conversation with the same peer, and messages for an unknown one', () => {
    const { store } = world();
    withConversations(store, 'bob');
    expect(() => store.conversations.create({ id: 'other', peerUserId: 'bob', createdAt: 1 })).toThrow(
      expect.objectContaining({ code: 'CONFLICT' }),
    );
    expect(() => store.messages.insert(message('nope', 'lost'))).toThrow(
      expect.objectContaining({ code: 'NOT_FOUND' }),
    );
  });

  it('mutes and unmutes', () => {
    const { store } = world();
    withConversations(store, 'bob');
    store.conversations.setMuted('c-bob', true);
    expect(store.conversations.get('c-bob')).toMatchObject({ muted: true, mutedUntil: null });
    store.conversations.setMuted('c-bob', true, 1_000_000);
    expect(store.conversations.get('c-bob')).toMatchObject({ muted: true, mutedUntil: 1_000_000 });
    store.conversations.setMuted('c-bob', false, 1_000_000);
    expect(store.conversations.get('c-bob')).toMatchObject({ muted: false, mutedUntil: null });
    expect(() => store.conversations.setMuted('missing', true)).toThrow(
      expect.objectContaining({ code: 'NOT_FOUND' }),
    );
  });
});

describe('messages', () => {
  it('stores a duplicate delivery once', () => {
    const { store } = world();
    withConversations(store, 'bob');
    const m = message('c-bob', 'once');
    expect(store.messages.insert(m)).toBeDefined();
    expect(store.messages.insert(m)).toBeUndefined();
    expect(store.pageMessages('c-bob').messages).toHaveLength(1);
    expect(store.conversations.get('c-bob')?.unreadCount).toBe(1);
  });

  it('validates ids and incoming states', () => {
    const { store } = world();
    withConversations(store, 'bob');
    expect(() => store.messages.insert(message('c-bob', 'x', { id: 'not-hex' }))).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT' }),
    );
    expect(() => store.messages.insert(message('c-bob', 'x', { state: 'sending' }))).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT' }),
    );
  });

  it('pages a chat with keyset cursors: newest page first, each page oldest first, no gaps or repeats', () => {
    const { store } = world();
    withConversations(store, 'bob', 'carol');
    const ours: number[] = [];
    for (let i = 0; i < 120; i++) {
      ours.push(store.messages.insert(message('c-bob', `bob ${i}`))!.seq);
      if (i % 3 === 0) store.messages.insert(message('c-carol', `carol ${i}`));
    }
    const first = store.pageMessages('c-bob');
    expect(first.messages.map((m) => m.text)).toEqual(Array.from({ length: 50 }, (_, i) => `bob ${70 + i}`));
    expect(first.before).toBe(ours[70]);
    const second = store.pageMessages('c-bob', first.before);
    expect(second.messages.map((m) => m.seq)).toEqual(ours.slice(20, 70));
    const third = store.pageMessages('c-bob', second.before);
    expect(third.messages.map((m) => m.seq)).toEqual(ours.slice(0, 20));
    expect(third.before).toBeNull();
    expect(store.pageMessages('c-bob', null, 10).messages.map((m) => m.text)).toEqual(
      Array.from({ length: 10 }, (_, i) => `bob ${110 + i}`),
    );
    expect(() => store.pageMessages('c-bob', null, 0)).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT' }),
    );
  });

  it('marks a conversation read and returns what it marked, for read receipts', () => {
    const { store } = world();
    withConversations(store, 'bob', 'carol');
    const a = store.messages.insert(message('c-bob', 'one'))!;
    store.messages.insert(message('c-bob', 'mine', { outgoing: true, senderUserId: 'alice', state: 'sent' }));
    const b = store.messages.insert(message('c-bob', 'two'))!;
    store.messages.insert(message('c-carol', 'other chat'));
    expect(store.markRead('c-bob')).toEqual([
      { id: a.id, senderUserId: 'bob' },
      { id: b.id, senderUserId: 'bob' },
    ]);
    expect(store.conversations.get('c-bob')?.unreadCount).toBe(0);
    expect(store.conversations.get('c-carol')?.unreadCount).toBe(1);
    expect(store.messages.get(a.id)?.state).toBe('read');
    expect(store.markRead('c-bob')).toEqual([]);
  });

  it('moves delivery states forward only, whatever order receipts come in', () => {
    const { store } = world();
    withConversations(store, 'bob');
    const m = store.messages.insert(
      message('c-bob', 'mine', { outgoing: true, senderUserId: 'alice', state: 'sending', receivedAt: null }),
    )!;
    expect(store.messages.setState(m.id, 'sent')).toBe(true);
    expect(store.messages.setState(m.id, 'read')).toBe(true);
    expect(store.messages.setState(m.id, 'delivered')).toBe(false);
    expect(store.messages.setState(m.id, 'failed')).toBe(false);
    expect(store.messages.get(m.id)?.state).toBe('read');

    const f = store.messages.insert(
      message('c-bob', 'flaky', {
        outgoing: true,
        senderUserId: 'alice',
        state: 'sending',
        receivedAt: null,
      }),
    )!;
    expect(store.messages.setState(f.id, 'failed')).toBe(true);
    expect(store.messages.setState(f.id, 'sent')).toBe(false);
    expect(store.messages.setState(f.id, 'sending')).toBe(true);
    const incoming = store.messages.insert(message('c-bob', 'theirs'))!;
    expect(() => store.messages.setState(incoming.id, 'read')).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT' }),
    );
  });

  it('deletes a message and repairs the summary (preview and unread count)', () => {
    const { store } = world();
    withConversations(store, 'bob');
    store.messages.insert(message('c-bob', 'older', { receivedAt: 5_000 }));
    const last = store.messages.insert(message('c-bob', 'newest', { receivedAt: 6_000 }))!;
    expect(store.deleteMessage(last.id)).toBe(true);
    expect(store.deleteMessage(last.id)).toBe(false);
    expect(store.messages.get(last.id)).toBeUndefined();
    expect(store.conversations.get('c-bob')).toMatchObject({
      lastMessagePreview: 'older',
      lastMessageAt: 5_000,
      unreadCount: 1,
    });
    const only = store.pageMessages('c-bob').messages[0]!;
    store.deleteMessage(only.id);
    expect(store.conversations.get('c-bob')).toMatchObject({
      lastMessagePreview: null,
      lastMessageAt: null,
      activityAt: 100,
      unreadCount: 0,
    });
  });

  it('deletes a conversation with all its messages and search entries', () => {
    const { store } = world();
    withConversations(store, 'bob', 'carol');
    store.messages.insert(message('c-bob', 'pineapple from bob'));
    store.messages.insert(message('c-carol', 'pineapple from carol'));
    expect(store.deleteConversation('c-bob')).toBe(true);
    expect(store.conversations.get('c-bob')).toBeUndefined();
    expect(store.searchMessages('pineapple').messages.map((m) => m.text)).toEqual(['pineapple from carol']);
    expect(store.deleteConversation('c-bob')).toBe(false);
  });

  it('shortens long previews without cutting a character in half', () => {
    const { store } = world();
    withConversations(store, 'bob');
    store.messages.insert(message('c-bob', '😀'.repeat(300)));
    const preview = store.conversations.get('c-bob')!.lastMessagePreview!;
    expect(Array.from(preview)).toHaveLength(120);
    expect(preview.endsWith('😀…')).toBe(true);
  });
});

describe('transactions', () => {
  it('commits a ratchet step, a message and an outbox row together, or none of them', () => {
    const { store } = world();
    withConversations(store, 'bob');
    const address = { userId: 'bob', deviceId: 1 };
    store.sessions.put(address, new Uint8Array([1]), 1);
    const m = message('c-bob', 'all or nothing', { outgoing: true, senderUserId: 'alice', state: 'sending' });
    expect(() =>
      store.transaction(() => {
        store.sessions.put(address, new Uint8Array([2]), 2);
        store.messages.insert(m);
        store.outbox.enqueue({
          messageId: m.id,
          recipient: address,
          envelope: new Uint8Array([9]),
          nextAttemptAt: 0,
          createdAt: 0,
        });
        throw new Error('crash before commit');
      }),
    ).toThrow('crash before commit');
    expect(Array.from(store.sessions.get(address)!)).toEqual([1]);
    expect(store.messages.get(m.id)).toBeUndefined();
    expect(store.outbox.size()).toBe(0);
    expect(store.conversations.get('c-bob')?.lastMessagePreview).toBeNull();

    const seq = store.transaction(() => {
      store.sessions.put(address, new Uint8Array([2]), 2);
      const stored = store.messages.insert(m)!;
      store.outbox.enqueue({
        messageId: m.id,
        recipient: address,
        envelope: new Uint8Array([9]),
        nextAttemptAt: 0,
        createdAt: 0,
      });
      return stored.seq;
    });
    expect(seq).toBeGreaterThan(0);
    expect(Array.from(store.sessions.get(address)!)).toEqual([2]);
    expect(store.outbox.forMessage(m.id)).toHaveLength(1);
  });

  it('rolls back a nested transaction on its own when the outer one catches the error', () => {
    const { store } = world();
    store.transaction(() => {
      store.settings.set('kept', 1);
      expect(() =>
        store.transaction(() => {
          store.settings.set('dropped', 2);
          throw new Error('inner');
        }),
      ).toThrow('inner');
    });
    expect(store.settings.get('kept')).toBe(1);
    expect(store.settings.get('dropped')).toBeUndefined();
  });

  it('refuses an async function, which would commit before its awaits', () => {
    const { store } = world();
    expect(() =>
      store.transaction((async () => store.settings.set('x', 1)) as unknown as () => void),
    ).toThrow();
    expect(store.settings.get('x')).toBeUndefined();
  });
});

describe('query plans', () => {
  // Speed is for the benchmark; here we check the shape that makes it fast: every hot query is
  // served by an index in its order, with no full scan and no sort of all rows.
  it('walks an index for the conversation list, a chat page and a search', () => {
    const { store, path, key } = world();
    withConversations(store, 'bob');
    const db = openEncryptedDatabase(path, key);
    cleanups.push(() => db.close());
    const plan = (sql: string, ...args: unknown[]) =>
      (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...args) as Array<{ detail: string }>)
        .map((r) => r.detail)
        .join(' | ');

    for (const [sql, args] of [
      [LIST_TOP_SQL, [50]],
      [LIST_AFTER_SQL, [1, 'x', 50]],
      [PAGE_LATEST_SQL, ['c-bob', 50]],
      [PAGE_OLDER_SQL, ['c-bob', 10, 50]],
    ] as const) {
      const detail = plan(sql, ...args);
      expect(detail, sql).toMatch(
        /USING (COVERING )?INDEX (conversations_by_activity|messages_by_conversation)/,
      );
      expect(detail, sql).not.toMatch(/TEMP B-TREE|SCAN conversations$|SCAN messages$/);
    }
    for (const [sql, args] of [
      [SEARCH_NEWEST_SQL, ['"word"', 50]],
      [SEARCH_OLDER_SQL, ['"word"', 10, 50]],
    ] as const) {
      const detail = plan(sql, ...args);
      expect(detail).toMatch(
        /^SCAN messages_fts VIRTUAL TABLE INDEX \d+:.* \| SEARCH m USING INTEGER PRIMARY KEY/,
      );
      expect(detail).not.toMatch(/TEMP B-TREE/);
      // FTS5's plan number carries its ORDER BY flags: rowid order (0x40), descending (0x80).
      const idxNum = Number(/INDEX (\d+):/.exec(detail)?.[1]);
      expect(idxNum & 0xc0).toBe(0xc0);
    }
  });
});
