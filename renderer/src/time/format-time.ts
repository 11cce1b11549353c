/**
 * Dates and times as a person reads them in a chat: "14:05", "Yesterday", "Monday", "3 March".
 * Every function takes the locale and time zone so that tests pin them; the app passes neither
 * and gets the user's own.
 */
export interface TimeFormatOptions {
  readonly locale?: string;
  readonly timeZone?: string;
}

const DAY_MS = 86_400_000;

// Intl formatters are costly to build and immutable, so one per (locale, zone, style) is kept.
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(options: TimeFormatOptions, style: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const id = `${options.locale ?? ''}|${options.timeZone ?? ''}|${JSON.stringify(style)}`;
  let found = formatters.get(id);
  if (!found) {
    found = new Intl.DateTimeFormat(options.locale, { ...style, timeZone: options.timeZone });
    formatters.set(id, found);
  }
  return found;
}

// Every time zone's offset is a whole number of quarter hours, so a day never changes inside
// a quarter hour: the day of each quarter is computed once (a timeline asks for thousands).
const QUARTER_HOUR_MS = 900_000;
const MAX_CACHED_DAYS = 200_000;
const dayCache = new Map<string, number>();

/** The calendar day of a moment in the given zone, as a number of days since 1970-01-01. */
export function dayNumber(at: number, options: TimeFormatOptions = {}): number {
  const bucket = Math.floor(at / QUARTER_HOUR_MS);
  const key = `${options.locale ?? ''}|${options.timeZone ?? ''}|${bucket}`;
  const cached = dayCache.get(key);
  if (cached !== undefined) return cached;
  if (dayCache.size >= MAX_CACHED_DAYS) dayCache.clear();
  const day = computeDayNumber(bucket * QUARTER_HOUR_MS, options);
  dayCache.set(key, day);
  return day;
}

function computeDayNumber(at: number, options: TimeFormatOptions): number {
  const parts = formatter(options, {
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    calendar: 'gregory',
    numberingSystem: 'latn',
  }).formatToParts(at);
  const part = (type: Intl.DateTimeFormatPartTypes): number =>
    Number(parts.find((p) => p.type === type)?.value ?? Number.NaN);
  return Math.round(Date.UTC(part('year'), part('month') - 1, part('day')) / DAY_MS);
}

/** "14:05" (or "2:05 PM" where the locale says so). */
export function formatClockTime(at: number, options: TimeFormatOptions = {}): string {
  return formatter(options, { timeStyle: 'short' }).format(at);
}

/** A day divider: "Today", "Yesterday", "Monday" within the week, then "3 March" or "3 March 2025". */
export function formatDayLabel(at: number, now: number, options: TimeFormatOptions = {}): string {
  const age = dayNumber(now, options) - dayNumber(at, options);
  if (age === 0) return 'Today';
  if (age === 1) return 'Yesterday';
  if (age > 1 && age < 7) return formatter(options, { weekday: 'long' }).format(at);
  if (sameYear(at, now, options)) return formatter(options, { day: 'numeric', month: 'long' }).format(at);
  return formatter(options, { day: 'numeric', month: 'long', year: 'numeric' }).format(at);
}

/** The time beside a conversation in the list: "14:05", "Yesterday", "Mon", "3 Mar", "3/3/2025". */
export function formatListTime(at: number, now: number, options: TimeFormatOptions = {}): string {
  const age = dayNumber(now, options) - dayNumber(at, options);
  if (age <= 0) return formatClockTime(at, options);
  if (age === 1) return 'Yesterday';
  if (age < 7) return formatter(options, { weekday: 'short' }).format(at);
  if (sameYear(at, now, options)) return formatter(options, { day: 'numeric', month: 'short' }).format(at);
  return formatter(options, { day: 'numeric', month: 'numeric', year: 'numeric' }).format(at);
}

/** The full moment, for a tooltip: "Monday 3 March 2026 at 14:05". */
export function formatFullTime(at: number, options: TimeFormatOptions = {}): string {
  return formatter(options, { dateStyle: 'full', timeStyle: 'short' }).format(at);
}

function sameYear(a: number, b: number, options: TimeFormatOptions): boolean {
  const year = formatter(options, { year: 'numeric', numberingSystem: 'latn' });
  return year.format(a) === year.format(b);
}
