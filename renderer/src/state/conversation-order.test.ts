import { describe, expect, it } from 'vitest';
import type { ConversationView } from '../../../shared/ipc';
import {
  filterConversations,
  neighbourConversation,
  sortConversations,
  totalUnread,
  upsertConversation,
} from './conversation-order';

function conversation(
  id: string,
  title: string,
  lastMessageAt: number | null,
  unreadCount = 0,
): ConversationView {
  return {
    id,
    peerUserId: `u-${id}`,
    title,
    lastMessagePreview: null,
    lastMessageAt,
    unreadCount,
    verified: false,
    keyChanged: false,
  };
}

describe('conversation order', () => {
  const list = sortConversations([
    conversation('1', 'Alice', 100),
    conversation('2', 'Bob', 300),
    conversation('3', 'Chloé', null),
    conversation('4', 'Dan', 200, 3),
  ]);

  it('puts the most recent first and conversations without messages last', () => {
    expect(list.map((c) => c.title)).toEqual(['Bob', 'Dan', 'Alice', 'Chloé']);
  });

  it('moves a conversation to the top when a message arrives, without duplicating it', () => {
    const next = upsertConversation(list, conversation('1', 'Alice', 400, 1));
    expect(next.map((c) => c.title)).toEqual(['Alice', 'Bob', 'Dan', 'Chloé']);
    expect(totalUnread(next)).toBe(4);
  });

  it('filters by name, ignoring case and accents', () => {
    expect(filterConversations(list, 'chloe').map((c) => c.id)).toEqual(['3']);
    expect(filterConversations(list, '  ').length).toBe(4);
    expect(filterConversations(list, 'zed')).toEqual([]);
  });

  it('steps up and down without wrapping, and starts at an end when nothing is open', () => {
    expect(neighbourConversation(list, '4', 1)).toBe('1');
    expect(neighbourConversation(list, '4', -1)).toBe('2');
    expect(neighbourConversation(list, '2', -1)).toBe('2');
    expect(neighbourConversation(list, '3', 1)).toBe('3');
    expect(neighbourConversation(list, null, 1)).toBe('2');
    expect(neighbourConversation(list, null, -1)).toBe('3');
    expect(neighbourConversation([], null, 1)).toBeNull();
  });
});
