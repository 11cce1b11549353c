import { describe, expect, it } from 'vitest';
import type { MessageView } from '../../../shared/ipc';
import { buildTimelineRows, type TimelineRow } from './timeline-rows';

const now = Date.UTC(2026, 2, 12, 15, 0);
const options = { locale: 'en-GB', timeZone: 'UTC', now, firstUnreadId: null };

function message(
  id: string,
  sentAt: number,
  outgoing: boolean,
  extra: Partial<MessageView> = {},
): MessageView {
  return {
    id,
    conversationId: 'c1',
    senderUserId: outgoing ? 'me' : 'bob',
    outgoing,
    kind: 'text',
    text: `text ${id}`,
    sentAt,
    receivedAt: outgoing ? null : sentAt,
    state: outgoing ? 'sent' : null,
    ...extra,
  };
}

function shape(rows: readonly TimelineRow[]): string[] {
  return rows.map((row) => {
    if (row.kind === 'day') return `day:${row.label}`;
    if (row.kind === 'unread') return `unread:${row.count}`;
    if (row.kind === 'system') return `system:${row.message.id}`;
    return `${row.message.id}${row.groupStart ? '[' : ''}${row.groupEnd ? ']' : ''}`;
  });
}

describe('buildTimelineRows', () => {
  it('puts a divider before the first message of each day', () => {
    const rows = buildTimelineRows(
      [
        message('a', Date.UTC(2026, 2, 11, 22, 0), true),
        message('b', Date.UTC(2026, 2, 12, 9, 0), false),
        message('c', Date.UTC(2026, 2, 12, 10, 0), false),
      ],
      options,
    );
    expect(shape(rows)).toEqual(['day:Yesterday', 'a[]', 'day:Today', 'b[]', 'c[]']);
  });

  it('groups messages by the same sender within the same minute', () => {
    const t = Date.UTC(2026, 2, 12, 9, 0, 5);
    const rows = buildTimelineRows(
      [
        message('a', t, false),
        message('b', t + 10_000, false),
        message('c', t + 20_000, false),
        message('d', t + 30_000, true),
        message('e', t + 40_000, true),
        message('f', t + 60_000, true), // the next minute starts a new group
      ],
      options,
    );
    expect(shape(rows)).toEqual(['day:Today', 'a[', 'b', 'c]', 'd[', 'e]', 'f[]']);
  });

  it('places the unread marker above the oldest unread message and counts incoming ones', () => {
    const t = Date.UTC(2026, 2, 12, 9, 0, 0);
    const rows = buildTimelineRows(
      [
        message('a', t, false),
        message('b', t + 1000, false),
        message('c', t + 2000, true),
        message('d', t + 3000, false),
      ],
      { ...options, firstUnreadId: 'b' },
    );
    expect(shape(rows)).toEqual(['day:Today', 'a[]', 'unread:2', 'b[]', 'c[]', 'd[]']);
  });

  it('ignores an unread id that is not loaded', () => {
    const rows = buildTimelineRows([message('a', now - 1000, false)], { ...options, firstUnreadId: 'zzz' });
    expect(shape(rows)).toEqual(['day:Today', 'a[]']);
  });

  it('shows system messages on their own and breaks groups around them', () => {
    const t = Date.UTC(2026, 2, 12, 9, 0, 0);
    const rows = buildTimelineRows(
      [
        message('a', t, false),
        message('s', t + 1000, false, { kind: 'system' }),
        message('b', t + 2000, false),
      ],
      options,
    );
    expect(shape(rows)).toEqual(['day:Today', 'a[]', 'system:s', 'b[]']);
  });

  it('gives every row a unique key', () => {
    const many = Array.from({ length: 500 }, (_, i) =>
      message(`m${i}`, now - (500 - i) * 3_600_000, i % 3 === 0),
    );
    const rows = buildTimelineRows(many, { ...options, firstUnreadId: 'm250' });
    expect(new Set(rows.map((r) => r.key)).size).toBe(rows.length);
  });
});
