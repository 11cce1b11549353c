import { describe, expect, it } from 'vitest';
import type { AppStateView, ContactView, ConversationView, MessageView } from '../../../shared/ipc';
import {
  firstUnreadFrom,
  initialState,
  type ParleyState,
  withActiveConversation,
  withAppState,
  withContact,
  withConversation,
  withConversationRead,
  withConversationsLoaded,
  withDraft,
  withMessage,
  withTimelineLoading,
  withTimelinePage,
} from './parley-state';

const account = {
  userId: 'alice',
  deviceId: 1,
  username: 'alice',
  displayName: 'Alice',
  relayUrl: 'http://127.0.0.1:1',
  deviceFingerprint: '0000',
  createdAt: 0,
};

function app(phase: AppStateView['phase'], userId = 'alice'): AppStateView {
  return { phase, account: { ...account, userId }, connection: 'online', queued: 0 };
}

function conversation(id: string, extra: Partial<ConversationView> = {}): ConversationView {
  return {
    id,
    peerUserId: `peer-${id}`,
    title: `Peer ${id}`,
    lastMessagePreview: null,
    lastMessageAt: null,
    unreadCount: 0,
    verified: false,
    keyChanged: false,
    ...extra,
  };
}

function message(id: string, sentAt: number, outgoing = false, conversationId = 'c1'): MessageView {
  return {
    id,
    conversationId,
    senderUserId: outgoing ? 'alice' : 'bob',
    outgoing,
    kind: 'text',
    text: `text ${id}`,
    sentAt,
    receivedAt: outgoing ? null : sentAt,
    state: outgoing ? 'sent' : null,
  };
}

function readyWithChat(): ParleyState {
  let s = withAppState(initialState, app('ready'));
  s = withConversationsLoaded(s, [conversation('c1', { unreadCount: 1 }), conversation('c2')]);
  s = withActiveConversation(s, 'c1');
  s = withTimelineLoading(s, 'c1', false);
  return withTimelinePage(
    s,
    'c1',
    { messages: [message('m2', 20), message('m1', 10, true)], olderCursor: 'cur', firstUnreadId: 'm2' },
    false,
  );
}

describe('parley state', () => {
  it('loads a page oldest first and keeps the unread marker the core gave', () => {
    const t = readyWithChat().timelines.c1!;
    expect(t.status).toBe('ready');
    expect(t.messages.map((m) => m.id)).toEqual(['m1', 'm2']);
    expect(t.firstUnreadId).toBe('m2');
    expect(t.olderCursor).toBe('cur');
  });

  it('adds a message event once, even when it also comes back from send', () => {
    let s = readyWithChat();
    s = withMessage(s, message('m3', 30, true));
    s = withMessage(s, { ...message('m3', 30, true), state: 'delivered' });
    expect(s.timelines.c1!.messages.map((m) => `${m.id}:${m.state}`)).toEqual([
      'm1:sent',
      'm2:null',
      'm3:delivered',
    ]);
  });

  it('ignores messages of a conversation whose history is not loaded', () => {
    const s = readyWithChat();
    expect(withMessage(s, message('x', 5, false, 'c2'))).toBe(s);
  });

  it('keeps messages that arrived while the first page was loading', () => {
    let s = withTimelineLoading(withAppState(initialState, app('ready')), 'c1', false);
    s = withMessage(s, message('live', 99));
    s = withTimelinePage(
      s,
      'c1',
      { messages: [message('old', 1)], olderCursor: null, firstUnreadId: null },
      false,
    );
    expect(s.timelines.c1!.messages.map((m) => m.id)).toEqual(['old', 'live']);
  });

  it('prepends an older page', () => {
    let s = withTimelineLoading(readyWithChat(), 'c1', true);
    expect(s.timelines.c1!.loadingOlder).toBe(true);
    s = withTimelinePage(
      s,
      'c1',
      { messages: [message('m0', 5)], olderCursor: null, firstUnreadId: null },
      true,
    );
    const t = s.timelines.c1!;
    expect(t.messages.map((m) => m.id)).toEqual(['m0', 'm1', 'm2']);
    expect(t.olderCursor).toBeNull();
    expect(t.loadingOlder).toBe(false);
    expect(t.firstUnreadId).toBe('m2');
  });

  it('forgets every conversation and message when the app locks, and keeps the open chat for after', () => {
    const locked = withAppState(withDraft(readyWithChat(), 'c1', 'half a thought'), app('locked'));
    expect(locked.timelines).toEqual({});
    expect(locked.conversations.items).toEqual([]);
    expect(locked.drafts).toEqual({});
    expect(locked.activeConversationId).toBe('c1');
    const other = withAppState(readyWithChat(), app('locked', 'someone-else'));
    expect(other.activeConversationId).toBeNull();
  });

  it('moves a conversation to the top when it is updated', () => {
    const s = withConversation(readyWithChat(), conversation('c2', { lastMessageAt: 50, unreadCount: 2 }));
    expect(s.conversations.items.map((c) => c.id)).toEqual(['c2', 'c1']);
  });

  it('marks verified and key-change on the conversations with that contact', () => {
    const contact: ContactView = {
      userId: 'peer-c1',
      username: 'bob',
      displayName: 'Bob',
      verified: true,
      keyChanged: true,
    };
    const s = withContact(readyWithChat(), contact);
    expect(s.conversations.items.find((c) => c.id === 'c1')).toMatchObject({
      verified: true,
      keyChanged: true,
    });
    expect(s.conversations.items.find((c) => c.id === 'c2')).toMatchObject({
      verified: false,
      keyChanged: false,
    });
    expect(s.contacts['peer-c1']).toEqual(contact);
  });

  it('clears the unread badge when read, without moving the marker', () => {
    const s = withConversationRead(readyWithChat(), 'c1');
    expect(s.conversations.items.find((c) => c.id === 'c1')!.unreadCount).toBe(0);
    expect(s.timelines.c1!.firstUnreadId).toBe('m2');
  });

  it('recomputes the marker when a cached conversation is opened again', () => {
    let s = readyWithChat();
    s = withActiveConversation(s, 'c2');
    s = withMessage(s, message('m3', 30));
    s = withMessage(s, message('m4', 40));
    s = withConversation(s, conversation('c1', { unreadCount: 2, lastMessageAt: 40 }));
    s = withActiveConversation(s, 'c1');
    expect(s.timelines.c1!.firstUnreadId).toBe('m3');
  });

  it('finds the first unread among incoming messages only', () => {
    const list = [message('a', 1), message('b', 2), message('c', 3, true), message('d', 4)];
    expect(firstUnreadFrom(list, 0)).toBeNull();
    expect(firstUnreadFrom(list, 1)).toBe('d');
    expect(firstUnreadFrom(list, 2)).toBe('b');
    expect(firstUnreadFrom(list, 9)).toBe('a');
  });
});

describe('drafts', () => {
  it('keeps a draft per conversation and forgets an emptied one', () => {
    let s = withDraft(initialState, 'c1', 'hello');
    s = withDraft(s, 'c2', 'other');
    expect(s.drafts).toEqual({ c1: 'hello', c2: 'other' });
    s = withDraft(s, 'c1', '');
    expect(s.drafts).toEqual({ c2: 'other' });
  });
});
