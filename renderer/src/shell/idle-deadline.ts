/**
 * When the app should lock itself: `minutes` after the last sign of a person at the keyboard.
 * Zero minutes means never.
 */
export function idleDeadline(lastActivityAt: number, minutes: number): number | null {
  if (!Number.isFinite(minutes) || minutes <= 0) return null;
  return lastActivityAt + minutes * 60_000;
}

/** True once the deadline has passed (a timer may fire late after sleep, never early). */
export function isIdle(lastActivityAt: number, minutes: number, now: number): boolean {
  const deadline = idleDeadline(lastActivityAt, minutes);
  return deadline !== null && now >= deadline;
}
