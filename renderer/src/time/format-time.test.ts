import { describe, expect, it } from 'vitest';
import { dayNumber, formatClockTime, formatDayLabel, formatListTime } from './format-time';

const utc = { locale: 'en-GB', timeZone: 'UTC' } as const;
const now = Date.UTC(2026, 2, 12, 15, 30); // Thursday 12 March 2026, 15:30 UTC

describe('format-time', () => {
  it('numbers calendar days in the given zone, not in UTC', () => {
    const lateEvening = Date.UTC(2026, 2, 11, 23, 30);
    expect(dayNumber(lateEvening, utc)).toBe(dayNumber(now, utc) - 1);
    // 23:30 UTC is already the next day in Berlin.
    expect(dayNumber(lateEvening, { timeZone: 'Europe/Berlin' })).toBe(dayNumber(now, utc));
  });

  it('changes day exactly at local midnight in zones with half- and quarter-hour offsets', () => {
    // Local midnight of 12 March 2026 in each zone, as UTC.
    const midnights: Record<string, number> = {
      'Asia/Kathmandu': Date.UTC(2026, 2, 11, 18, 15), // +05:45
      'Asia/Kolkata': Date.UTC(2026, 2, 11, 18, 30), // +05:30
      'America/St_Johns': Date.UTC(2026, 2, 12, 2, 30), // -02:30 (daylight time)
      'Australia/Eucla': Date.UTC(2026, 2, 11, 15, 15), // +08:45
    };
    for (const [timeZone, midnight] of Object.entries(midnights)) {
      const zone = { timeZone };
      expect(dayNumber(midnight, zone), timeZone).toBe(dayNumber(midnight - 1, zone) + 1);
      expect(dayNumber(midnight + 86_399_999, zone), timeZone).toBe(dayNumber(midnight, zone));
    }
  });

  it('shows the clock time with two-digit minutes', () => {
    expect(formatClockTime(Date.UTC(2026, 2, 12, 9, 5), utc)).toBe('09:05');
    expect(formatClockTime(Date.UTC(2026, 2, 12, 21, 5), { locale: 'en-US', timeZone: 'UTC' })).toBe(
      '9:05 PM',
    );
  });

  it('labels day dividers as a person would say them', () => {
    expect(formatDayLabel(Date.UTC(2026, 2, 12, 0, 1), now, utc)).toBe('Today');
    expect(formatDayLabel(Date.UTC(2026, 2, 11, 23, 59), now, utc)).toBe('Yesterday');
    expect(formatDayLabel(Date.UTC(2026, 2, 9, 12), now, utc)).toBe('Monday');
    expect(formatDayLabel(Date.UTC(2026, 2, 5, 12), now, utc)).toBe('5 March');
    expect(formatDayLabel(Date.UTC(2025, 11, 31, 12), now, utc)).toBe('31 December 2025');
  });

  it('keeps list times short', () => {
    expect(formatListTime(Date.UTC(2026, 2, 12, 8, 0), now, utc)).toBe('08:00');
    expect(formatListTime(Date.UTC(2026, 2, 11, 8, 0), now, utc)).toBe('Yesterday');
    expect(formatListTime(Date.UTC(2026, 2, 9, 8, 0), now, utc)).toBe('Mon');
    expect(formatListTime(Date.UTC(2026, 0, 2, 8, 0), now, utc)).toBe('2 Jan');
    expect(formatListTime(Date.UTC(2024, 6, 4, 8, 0), now, utc)).toBe('04/07/2024');
  });

  it('treats a time slightly in the future (a peer with a fast clock) as today', () => {
    expect(formatListTime(now + 60_000, now, utc)).toBe('15:31');
    expect(formatDayLabel(now + 60_000, now, utc)).toBe('Today');
  });
});
