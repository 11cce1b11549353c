/** A chat message as the store keeps it. */
import { ParleyError } from '../../../shared/errors';

export type MessageKind = 'text' | 'system';

/**
 * Outgoing: sending → sent (relay acked) → delivered → read, or failed (and back to sending on a
 * retry). Incoming: delivered (received, unread) → read (seen by this user).
 */
export type DeliveryState = 'sending' | 'sent' | 'delivered' | 'read' | 'failed';

export interface NewMessage {
  /** The protocol's random 128-bit message id, 32 lowercase hex digits. */
  readonly id: string;
  readonly conversationId: string;
  readonly senderUserId: string;
  readonly outgoing: boolean;
  readonly kind: MessageKind;
  readonly text: string;
  readonly sentAt: number;
  readonly receivedAt: number | null;
  readonly state: DeliveryState;
}

export interface StoredMessage extends NewMessage {
  /** The local sequence: increasing in the order messages were stored, never reused. */
  readonly seq: number;
}

export interface MessageRow {
  seq: number;
  id: string;
  conversation_id: string;
  sender_user_id: string;
  outgoing: number;
  kind: MessageKind;
  text: string;
  sent_at: number;
  received_at: number | null;
  state: DeliveryState;
}

const MESSAGE_ID = /^[0-9a-f]{32}$/;
export const PREVIEW_CHARS = 120;

export function checkMessageId(id: string): void {
  if (!MESSAGE_ID.test(id)) {
    throw new ParleyError('INVALID_ARGUMENT', 'A message id is 32 lowercase hexadecimal digits.');
  }
}

export function checkNewMessage(message: NewMessage): void {
  checkMessageId(message.id);
  if (message.kind !== 'text' && message.kind !== 'system') {
    throw new ParleyError('INVALID_ARGUMENT', 'A message is either text or a system notice.');
  }
  if (!message.outgoing && message.state !== 'delivered' && message.state !== 'read') {
    throw new ParleyError('INVALID_ARGUMENT', 'A received message is stored as delivered (unread) or read.');
  }
}

/** The time that places a message's conversation in the list: ours when sent, ours when received. */
export function activityTime(message: NewMessage): number {
  return message.outgoing ? message.sentAt : (message.receivedAt ?? message.sentAt);
}

export function previewOf(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  if (flat.length <= PREVIEW_CHARS) return flat;
  // By code point, so an emoji is never cut in half.
  return `${Array.from(flat.slice(0, PREVIEW_CHARS * 2))
    .slice(0, PREVIEW_CHARS - 1)
    .join('')}…`;
}

export function toMessage(row: MessageRow): StoredMessage {
  return {
    seq: row.seq,
    id: row.id,
    conversationId: row.conversation_id,
    senderUserId: row.sender_user_id,
    outgoing: row.outgoing === 1,
    kind: row.kind,
    text: row.text,
    sentAt: row.sent_at,
    receivedAt: row.received_at,
    state: row.state,
  };
}

const FORWARD: Readonly<Record<DeliveryState, number>> = {
  sending: 0,
  sent: 1,
  delivered: 2,
  read: 3,
  failed: -1,
};

/**
 * Receipts can arrive late, twice or out of order: a state only moves forward, except that a
 * message still sending may fail, and a failed one may be sent again.
 */
export function allowedTransition(from: DeliveryState, to: DeliveryState): boolean {
  if (from === to) return false;
  if (to === 'failed') return from === 'sending';
  if (from === 'failed') return to === 'sending';
  return FORWARD[to] > FORWARD[from];
}
