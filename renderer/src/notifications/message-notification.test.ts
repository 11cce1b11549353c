import { describe, expect, it } from 'vitest';
import type { ConversationView, MessageView } from '../../../shared/ipc';
import { messageNotification } from './message-notification';

const chat: ConversationView = {
  id: 'c1',
  peerUserId: 'u-alice',
  title: 'Alice',
  lastMessagePreview: null,
  lastMessageAt: null,
  unreadCount: 1,
  verified: false,
  keyChanged: false,
  muted: false,
};

const message: MessageView = {
  id: 'm1',
  conversationId: 'c1',
  senderUserId: 'u-alice',
  outgoing: false,
  kind: 'text',
  text: 'Lunch at\n noon?',
  sentAt: 1,
  receivedAt: 2,
  state: null,
  attachment: null,
};

describe('messageNotification', () => {
  it('shows what the setting allows, one per conversation', () => {
    expect(messageNotification(message, chat, 'message', false)).toEqual({
      title: 'Alice',
      body: 'Lunch at noon?',
      tag: 'parley:c1',
    });
    expect(messageNotification(message, chat, 'sender', false)).toMatchObject({
      title: 'Alice',
      body: 'New message',
    });
    expect(messageNotification(message, chat, 'hidden', false)).toMatchObject({
      title: 'Parley',
      body: 'New message',
    });
  });

  it('stays quiet when off, muted, in view, for own messages and system lines', () => {
    expect(messageNotification(message, chat, 'off', false)).toBeNull();
    expect(messageNotification(message, { ...chat, muted: true }, 'message', false)).toBeNull();
    expect(messageNotification(message, chat, 'message', true)).toBeNull();
    expect(messageNotification({ ...message, outgoing: true }, chat, 'message', false)).toBeNull();
    expect(messageNotification({ ...message, kind: 'system' }, chat, 'message', false)).toBeNull();
  });

  it('names a file and shortens a long text', () => {
    const file = {
      ...message,
      text: '',
      attachment: {
        fileName: 'plan.pdf',
        mimeType: 'application/pdf',
        size: 10,
        thumbnail: null,
        state: 'available' as const,
        bytesDone: 0,
        error: null,
      },
    };
    expect(messageNotification(file, chat, 'message', false)?.body).toBe('File: plan.pdf');
    const long = messageNotification({ ...message, text: 'x'.repeat(500) }, chat, 'message', false);
    expect(long?.body).toHaveLength(200);
    expect(long?.body.endsWith('…')).toBe(true);
  });
});
