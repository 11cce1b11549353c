import { describe, expect, it } from 'vitest';
import type { ConversationView } from '../../../shared/ipc';
import { isMuted, mutedLabel } from './mute';

const utc = { locale: 'en-GB', timeZone: 'UTC' } as const;
const now = Date.UTC(2026, 2, 12, 15, 30); // Thursday 12 March 2026, 15:30 UTC
const chat: ConversationView = {
  id: 'c1',
  peerUserId: 'u1',
  title: 'Alice',
  lastMessagePreview: null,
  lastMessageAt: null,
  unreadCount: 0,
  verified: false,
  keyChanged: false,
  muted: true,
  mutedUntil: null,
};

describe('mute', () => {
  it('is muted until unmuted, or until its time', () => {
    expect(isMuted(chat, now)).toBe(true);
    expect(isMuted({ ...chat, muted: false }, now)).toBe(false);
    expect(isMuted({ ...chat, mutedUntil: now + 1 }, now)).toBe(true);
    expect(isMuted({ ...chat, mutedUntil: now }, now)).toBe(false);
  });

  it('says until when', () => {
    expect(mutedLabel(chat, now, utc)).toBe('Muted');
    expect(mutedLabel({ ...chat, mutedUntil: Date.UTC(2026, 2, 12, 16, 30) }, now, utc)).toBe(
      'Muted until 16:30',
    );
    expect(mutedLabel({ ...chat, mutedUntil: Date.UTC(2026, 2, 13, 2, 42) }, now, utc)).toBe(
      'Muted until tomorrow 02:42',
    );
    expect(mutedLabel({ ...chat, mutedUntil: Date.UTC(2026, 2, 19, 15, 30) }, now, utc)).toBe(
      'Muted until 19 March 15:30',
    );
  });
});
