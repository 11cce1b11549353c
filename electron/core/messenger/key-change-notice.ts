/** The notice a chat shows when the other person's safety number changes (UI.md: key change). */
import { messageIdToString } from '../../../shared/wire/message-id';
import { newMessageId } from '../crypto';
import type { Store } from '../store';

export const KEY_CHANGE_NOTICE = 'Safety number changed. Compare it again to make sure nobody is in between.';

/** Adds the notice to the conversation (inside the caller's transaction) and returns its id. */
export function addKeyChangeNotice(
  store: Store,
  conversationId: string,
  peerUserId: string,
  now: number,
): string {
  const id = messageIdToString(newMessageId());
  store.messages.insert({
    id,
    conversationId,
    senderUserId: peerUserId,
    outgoing: false,
    kind: 'system',
    text: KEY_CHANGE_NOTICE,
    sentAt: now,
    receivedAt: now,
    state: 'read',
  });
  return id;
}
