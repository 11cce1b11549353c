/**
 * Turns a conversation's messages into the rows the list shows: day dividers, the unread
 * marker, and messages grouped by sender and minute (a group shares tight spacing and one
 * rounded outline, as in Signal).
 */
import type { MessageView } from '../../../shared/ipc';
import { dayNumber, formatDayLabel, type TimeFormatOptions } from '../time/format-time';

export type TimelineRow =
  | { readonly kind: 'day'; readonly key: string; readonly label: string }
  | { readonly kind: 'unread'; readonly key: string; readonly count: number }
  | { readonly kind: 'system'; readonly key: string; readonly message: MessageView }
  | {
      readonly kind: 'message';
      readonly key: string;
      readonly message: MessageView;
      /** First of a run by the same sender in the same minute. */
      readonly groupStart: boolean;
      /** Last of that run. */
      readonly groupEnd: boolean;
    };

export interface TimelineOptions extends TimeFormatOptions {
  /** The oldest unread incoming message; the marker goes above it. */
  readonly firstUnreadId: string | null;
  readonly now: number;
}

const MINUTE_MS = 60_000;

export function buildTimelineRows(
  messages: readonly MessageView[],
  options: TimelineOptions,
): readonly TimelineRow[] {
  const rows: TimelineRow[] = [];
  const unreadIndex =
    options.firstUnreadId === null ? -1 : messages.findIndex((m) => m.id === options.firstUnreadId);
  let previousDay: number | null = null;
  let previous: MessageView | null = null;

  for (let i = 0; i < messages.length; i++) {
    const message = messages[i]!;
    const day = dayNumber(message.sentAt, options);
    let breaksGroup = false;
    if (day !== previousDay) {
      rows.push({
        kind: 'day',
        key: `day-${day}`,
        label: formatDayLabel(message.sentAt, options.now, options),
      });
      previousDay = day;
      breaksGroup = true;
    }
    if (i === unreadIndex) {
      const count = messages.slice(i).filter((m) => !m.outgoing && m.kind === 'text').length;
      rows.push({ kind: 'unread', key: 'unread', count });
      breaksGroup = true;
    }
    if (message.kind === 'system') {
      rows.push({ kind: 'system', key: message.id, message });
      previous = null;
      continue;
    }
    const groupStart = breaksGroup || previous === null || !sameGroup(previous, message);
    rows.push({ kind: 'message', key: message.id, message, groupStart, groupEnd: true });
    // The previous row of this run is no longer its end.
    if (!groupStart) markNotEnd(rows, rows.length - 2);
    previous = message;
  }
  return rows;
}

function sameGroup(a: MessageView, b: MessageView): boolean {
  return (
    a.outgoing === b.outgoing &&
    a.senderUserId === b.senderUserId &&
    Math.floor(a.sentAt / MINUTE_MS) === Math.floor(b.sentAt / MINUTE_MS)
  );
}

function markNotEnd(rows: TimelineRow[], index: number): void {
  const row = rows[index];
  if (row?.kind === 'message') rows[index] = { ...row, groupEnd: false };
}
