import fc from 'fast-check';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { NewMessage } from './message';
import { parseSearchQuery, toFts5Query } from './search-query';
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

function world(): Store {
  const temp = openTempStore(sodium);
  cleanups.push(temp.remove);
  temp.store.conversations.create({ id: 'c-bob', peerUserId: 'bob', createdAt: 1 });
  temp.store.conversations.create({ id: 'c-carol', peerUserId: 'carol', createdAt: 2 });
  return temp.store;
}

let counter = 1;
function add(store: Store, text: string, overrides: Partial<NewMessage> = {}) {
  const n = counter++;
  return store.messages.insert({
    id: messageId(n),
    conversationId: n % 2 === 0 ? 'c-bob' : 'c-carol',
    senderUserId: 'bob',
    outgoing: false,
    kind: 'text',
    text,
    sentAt: n,
    receivedAt: n,
    state: 'read',
    ...overrides,
  })!;
}

const texts = (store: Store, query: string, limit?: number) =>
  store.searchMessages(query, limit).messages.map((m) => m.text);

describe('message search', () => {
  it('finds a rare word among many messages', () => {
    const store = world();
    for (let i = 0; i < 300; i++) add(store, `the usual chatter number ${i}`);
    add(store, 'meet me at the quayside');
    for (let i = 0; i < 10; i++) add(store, `more of the usual ${i}`);
    expect(texts(store, 'quayside')).toEqual(['meet me at the quayside']);
    expect(texts(store, 'QUAYSIDE')).toEqual(['meet me at the quayside']);
  });

  it('returns a common word newest first, a page at a time', () => {
    const store = world();
    const seqs = Array.from({ length: 130 }, (_, i) => add(store, `the message ${i}`).seq);
    add(store, 'no match here');
    const first = store.searchMessages('the');
    expect(first.messages).toHaveLength(50);
    expect(first.messages.map((m) => m.seq)).toEqual(seqs.slice(80).reverse());
    const second = store.searchMessages('the', 50, first.before);
    expect(second.messages.map((m) => m.seq)).toEqual(seqs.slice(30, 80).reverse());
    const third = store.searchMessages('the', 50, second.before);
    expect(third.messages.map((m) => m.seq)).toEqual(seqs.slice(0, 30).reverse());
    expect(third.before).toBeNull();
  });

  it('matches a prefix', () => {
    const store = world();
    add(store, 'a photograph of the harbour');
    add(store, 'photos later');
    add(store, 'telephoto lens');
    add(store, 'ph');
    expect(texts(store, 'pho*')).toEqual(['photos later', 'a photograph of the harbour']);
    expect(texts(store, 'photog*')).toEqual(['a photograph of the harbour']);
    expect(texts(store, 'ph*')).toEqual(['ph', 'photos later', 'a photograph of the harbour']);
    expect(texts(store, 'pho')).toEqual([]);
  });

  it('matches a two-word phrase only where the words are adjacent and in order', () => {
    const store = world();
    add(store, 'see you tomorrow');
    add(store, 'you will see me tomorrow');
    add(store, 'I will see, you know');
    add(store, 'tomorrow you see');
    expect(texts(store, '"see you"')).toEqual(['I will see, you know', 'see you tomorrow']);
    expect(texts(store, 'see you')).toHaveLength(4);
    expect(texts(store, '"see you" tomorrow')).toEqual(['see you tomorrow']);
    expect(texts(store, '"see yo*"')).toEqual(['I will see, you know', 'see you tomorrow']);
  });

  it('ignores case and accents, and finds words in any script', () => {
    const store = world();
    add(store, 'Crème brûlée à Zürich');
    add(store, 'Привет, как дела?');
    expect(texts(store, 'creme')).toEqual(['Crème brûlée à Zürich']);
    expect(texts(store, 'zurich')).toEqual(['Crème brûlée à Zürich']);
    expect(texts(store, 'привет')).toEqual(['Привет, как дела?']);
  });

  it('no longer finds a deleted message, nor one of a deleted conversation', () => {
    const store = world();
    const gone = add(store, 'zeppelin one', { conversationId: 'c-bob' });
    add(store, 'zeppelin two', { conversationId: 'c-bob' });
    add(store, 'zeppelin three', { conversationId: 'c-carol' });
    store.deleteMessage(gone.id);
    expect(texts(store, 'zeppelin')).toEqual(['zeppelin three', 'zeppelin two']);
    store.deleteConversation('c-carol');
    expect(texts(store, 'zeppelin')).toEqual(['zeppelin two']);
  });

  it('does not index system notices', () => {
    const store = world();
    add(store, 'Your safety number with Bob changed', { kind: 'system' });
    add(store, 'what is a safety number?');
    expect(texts(store, 'safety')).toEqual(['what is a safety number?']);
  });

  it('treats operators and stray syntax as plain words', () => {
    const store = world();
    add(store, 'rock AND roll');
    add(store, 'NEAR the end');
    for (const query of [
      'AND',
      'NEAR(',
      '"',
      '"unclosed',
      '*',
      '-',
      'a:b',
      '(',
      ')',
      'OR OR',
      '^x',
      '{x}',
      "'",
    ]) {
      expect(() => store.searchMessages(query), query).not.toThrow();
    }
    expect(texts(store, 'and')).toEqual(['rock AND roll']);
    expect(texts(store, 'NEAR(')).toEqual(['NEAR the end']);
    expect(texts(store, '   ')).toEqual([]);
  });

  it('never fails on any text a person can type (property)', () => {
    const store = world();
    add(store, 'some words to search through');
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 40 }), (query) => {
        store.searchMessages(query);
      }),
      { numRuns: 300 },
    );
  });
});

describe('search query parsing', () => {
  it('quotes every term and keeps phrases and prefixes', () => {
    expect(toFts5Query(parseSearchQuery('hello wor*'))).toBe('"hello" "wor"*');
    expect(toFts5Query(parseSearchQuery('"see you" later'))).toBe('"see you" "later"');
    expect(toFts5Query(parseSearchQuery('"see yo"*'))).toBe('"see yo"*');
    expect(toFts5Query(parseSearchQuery('"half typed'))).toBe('"half typed"');
    expect(parseSearchQuery('- * " "')).toEqual([]);
    expect(parseSearchQuery('a b c d e f g h i j')).toHaveLength(8);
  });
});
