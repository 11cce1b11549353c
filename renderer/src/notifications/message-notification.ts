/**
 * What a desktop notification of a new message shows, by the user's setting (Settings >
 * Notifications): the sender and text, the sender only, or neither. Nothing for the user's own
 * messages, system lines, a muted conversation, or a message the user is looking at already.
 */
import type { ConversationView, MessageView, NotificationContent } from '../../../shared/ipc';
import { isMuted } from './mute';

export interface MessageNotification {
  readonly title: string;
  readonly body: string;
  /** One notification per conversation: a newer one replaces it instead of piling up. */
  readonly tag: string;
}

const BODY_CHARS = 200;

export function messageNotification(
  message: MessageView,
  conversation: ConversationView,
  content: NotificationContent,
  /** The window has focus and shows this conversation. */
  inView: boolean,
  now: number,
): MessageNotification | null {
  const quiet = isMuted(conversation, now) || content === 'off' || inView;
  if (message.outgoing || message.kind !== 'text' || quiet) {
    return null;
  }
  const tag = `parley:${conversation.id}`;
  if (content === 'hidden') return { title: 'Parley', body: 'New message', tag };
  if (content === 'sender') return { title: conversation.title, body: 'New message', tag };
  return { title: conversation.title, body: bodyOf(message), tag };
}

function bodyOf(message: MessageView): string {
  const file = message.attachment ? `File: ${message.attachment.fileName}` : null;
  const text = message.text.replace(/\s+/g, ' ').trim();
  const body = file && text ? `${file}: ${text}` : (file ?? text);
  return body.length > BODY_CHARS ? `${body.slice(0, BODY_CHARS - 1)}…` : body;
}
