/**
 * Whether a chat is muted now: a mute for a while ends by itself at `mutedUntil`, so the screens
 * that show it re-render then (useMuted) and notifications look at the clock (isMuted).
 */
import { useEffect, useState } from 'react';
import type { ConversationView } from '../../../shared/ipc';
import { dayNumber, formatClockTime, formatDayLabel, type TimeFormatOptions } from '../time/format-time';

export function isMuted(conversation: ConversationView, now: number): boolean {
  return conversation.muted && (conversation.mutedUntil === null || conversation.mutedUntil > now);
}

/** isMuted, kept current: the component re-renders when a mute for a while runs out. */
export function useMuted(conversation: ConversationView): boolean {
  const [now, setNow] = useState(() => Date.now());
  const muted = isMuted(conversation, now);
  const until = conversation.mutedUntil;
  useEffect(() => {
    if (!muted || until === null) return;
    // setTimeout takes at most ~24.8 days; a longer mute checks again then.
    const wait = Math.min(Math.max(until - Date.now(), 0) + 50, 2_000_000_000);
    const timer = window.setTimeout(() => setNow(Date.now()), wait);
    return () => window.clearTimeout(timer);
  }, [muted, until]);
  return muted;
}

/** "Muted", "Muted until 14:05", "Muted until tomorrow 02:42" or "Muted until 3 December 14:05". */
export function mutedLabel(
  conversation: ConversationView,
  now: number,
  options: TimeFormatOptions = {},
): string {
  const until = conversation.mutedUntil;
  if (until === null) return 'Muted';
  const clock = formatClockTime(until, options);
  const days = dayNumber(until, options) - dayNumber(now, options);
  if (days <= 0) return `Muted until ${clock}`;
  if (days === 1) return `Muted until tomorrow ${clock}`;
  return `Muted until ${formatDayLabel(until, now, options)} ${clock}`;
}

/** The lengths the chat menu offers; null: until unmuted. */
export const MUTE_CHOICES: readonly { readonly label: string; readonly forMs: number | null }[] = [
  { label: 'Mute for 1 hour', forMs: 3_600_000 },
  { label: 'Mute for 8 hours', forMs: 8 * 3_600_000 },
  { label: 'Mute for a week', forMs: 7 * 24 * 3_600_000 },
  { label: 'Mute always', forMs: null },
];
