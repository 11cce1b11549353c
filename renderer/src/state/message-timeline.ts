/**
 * The loaded messages of one conversation, oldest first. Pages, events and send results all
 * arrive here; a message id appears once whatever the order or repetition of arrivals.
 */
import type { MessageView } from '../../../shared/ipc';

/** Chat order: by the time the message was written, then by id so that ties never flicker. */
export function compareMessages(a: MessageView, b: MessageView): number {
  if (a.sentAt !== b.sentAt) return a.sentAt - b.sentAt;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** Adds or replaces messages by id; the newer copy of a message wins. */
export function mergeMessages(
  current: readonly MessageView[],
  incoming: readonly MessageView[],
): readonly MessageView[] {
  if (incoming.length === 0) return current;
  if (incoming.length === 1) return upsertMessage(current, incoming[0]!);
  const byId = new Map<string, MessageView>();
  for (const message of current) byId.set(message.id, message);
  for (const message of incoming) byId.set(message.id, message);
  return [...byId.values()].sort(compareMessages);
}

/** Adds or replaces one message, keeping the order; the common case (a new last message) is O(1). */
export function upsertMessage(current: readonly MessageView[], message: MessageView): readonly MessageView[] {
  const existing = current.findIndex((m) => m.id === message.id);
  if (existing !== -1) {
    const old = current[existing]!;
    if (old === message) return current;
    if (old.sentAt === message.sentAt) {
      const next = current.slice();
      next[existing] = message;
      return next;
    }
    return mergeMessages(
      current.filter((m) => m.id !== message.id),
      [message],
    );
  }
  const last = current[current.length - 1];
  if (!last || compareMessages(last, message) < 0) return [...current, message];
  let low = 0;
  let high = current.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (compareMessages(current[mid]!, message) < 0) low = mid + 1;
    else high = mid;
  }
  return [...current.slice(0, low), message, ...current.slice(low)];
}
