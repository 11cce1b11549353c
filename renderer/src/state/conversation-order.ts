/**
 * The conversation list's order and navigation: the most recent conversation first, a new empty
 * conversation after those with messages, ties by name.
 */
import type { ConversationView } from '../../../shared/ipc';

export function compareConversations(a: ConversationView, b: ConversationView): number {
  const at = a.lastMessageAt ?? Number.NEGATIVE_INFINITY;
  const bt = b.lastMessageAt ?? Number.NEGATIVE_INFINITY;
  if (at !== bt) return bt > at ? 1 : -1;
  const byTitle = a.title.localeCompare(b.title);
  if (byTitle !== 0) return byTitle;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

export function sortConversations(list: readonly ConversationView[]): readonly ConversationView[] {
  const byId = new Map<string, ConversationView>();
  for (const conversation of list) byId.set(conversation.id, conversation);
  return [...byId.values()].sort(compareConversations);
}

/** Adds or replaces one conversation by id and keeps the order. */
export function upsertConversation(
  list: readonly ConversationView[],
  conversation: ConversationView,
): readonly ConversationView[] {
  return [...list.filter((c) => c.id !== conversation.id), conversation].sort(compareConversations);
}

/** Conversations whose name contains every word of the query, ignoring case and accents. */
export function filterConversations(
  list: readonly ConversationView[],
  query: string,
): readonly ConversationView[] {
  const words = fold(query).split(/\s+/).filter(Boolean);
  if (words.length === 0) return list;
  return list.filter((c) => {
    const title = fold(c.title);
    return words.every((word) => title.includes(word));
  });
}

/** The conversation above (-1) or below (+1) the current one, for Alt+Up/Down; wraps at neither end. */
export function neighbourConversation(
  list: readonly ConversationView[],
  currentId: string | null,
  direction: -1 | 1,
): string | null {
  if (list.length === 0) return null;
  const index = currentId === null ? -1 : list.findIndex((c) => c.id === currentId);
  if (index === -1) return (direction === 1 ? list[0] : list[list.length - 1])?.id ?? null;
  const next = list[index + direction];
  return next ? next.id : currentId;
}

export function totalUnread(list: readonly ConversationView[]): number {
  return list.reduce((sum, c) => sum + c.unreadCount, 0);
}

function fold(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{Diacritic}/gu, '')
    .toLocaleLowerCase();
}
