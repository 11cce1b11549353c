import { describe, expect, it } from 'vitest';
import type { ConversationView, MessageView } from '../../../shared/ipc';
import { messageNotification } from './message-notification';

const NOW = 1_800_000_000_000;

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
  mutedUntil: null,
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
    expect(messageNotification(message, chat, 'message', false, NOW)).toEqual({
      title: 'Alice',
      body: 'Lunch at noon?',
      tag: 'parley:c1',
    });
    expect(messageNotification(message, chat, 'sender', false, NOW)).toMatchObject({
      title: 'Alice',
      body: 'New message',
    });
    expect(messageNotification(message, chat, 'hidden', false, NOW)).toMatchObject({
      title: 'Parley',
      body: 'New message',
    });
  });

  it('stays quiet when off, muted, in view, for own messages and system lines', () => {
    expect(messageNotification(message, chat, 'off', false, NOW)).toBeNull();
    expect(messageNotification(message, { ...chat, muted: true }, 'message', false, NOW)).toBeNull();
    const forAnHour = { ...chat, muted: true, mutedUntil: NOW + 3_600_000 };
    expect(messageNotification(message, forAnHour, 'message', false, NOW)).toBeNull();
    // A mute for a while ends by itself.
    expect(messageNotification(message, forAnHour, 'message', false, NOW + 3_600_001)).not.toBeNull();
    expect(messageNotification(message, chat, 'message', true, NOW)).toBeNull();
    expect(messageNotification({ ...message, outgoing: true }, chat, 'message', false, NOW)).toBeNull();
    expect(messageNotification({ ...message, kind: 'system' }, chat, 'message', false, NOW)).toBeNull();
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
    expect(messageNotification(file, chat, 'message', false, NOW)?.body).toBe('File: plan.pdf');
    const long = messageNotification({ ...message, text: 'x'.repeat(500) }, chat, 'message', false, NOW);
    expect(long?.body).toHaveLength(200);
    expect(long?.body.endsWith('…')).toBe(true);
  });
});
