/**
 * Sizes, speeds and time left as people read them: decimal units (1 MB = 1,000,000 bytes), as
 * file managers and the core's own sentences (file-policy.ts) show them, so that "10 MB" in a
 * refusal and in a bubble mean the same.
 */

const UNITS = ['KB', 'MB', 'GB', 'TB'] as const;

/** 12 bytes, 320 KB, 3.2 MB, 1.5 GB. */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return '0 bytes';
  if (bytes < 1000) return bytes === 1 ? '1 byte' : `${Math.round(bytes)} bytes`;
  let value = bytes / 1000;
  let unit = 0;
  while (value >= 999.95 && unit < UNITS.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${roundForDisplay(value)} ${UNITS[unit]}`;
}

/** 1.1 MB/s. */
export function formatSpeed(bytesPerSecond: number): string {
  return `${formatBytes(bytesPerSecond)}/s`;
}

/** 8 s left, 3 min left, 1 h 5 min left; rounded up, so it never promises too little. */
export function formatTimeLeft(seconds: number): string {
  const s = Math.max(1, Math.ceil(seconds));
  if (s < 60) return `${s} s left`;
  const minutes = Math.ceil(s / 60);
  if (minutes < 60) return `${minutes} min left`;
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  return rest === 0 ? `${hours} h left` : `${hours} h ${rest} min left`;
}

export interface ProgressFigures {
  readonly bytesDone: number;
  readonly bytesTotal: number;
  /** 0 when unknown or paused: then neither speed nor time left is shown. */
  readonly bytesPerSecond: number;
}

/** "3.2 MB of 10 MB · 1.1 MB/s · 8 s left", or only the bytes while the speed is unknown. */
export function progressText({ bytesDone, bytesTotal, bytesPerSecond }: ProgressFigures): string {
  const done = Math.min(Math.max(bytesDone, 0), bytesTotal);
  const parts = [`${formatBytes(done)} of ${formatBytes(bytesTotal)}`];
  if (bytesPerSecond > 0 && done < bytesTotal) {
    parts.push(formatSpeed(bytesPerSecond), formatTimeLeft((bytesTotal - done) / bytesPerSecond));
  }
  return parts.join(' · ');
}

/** Whole percent for aria-valuenow; 100 only when every byte is done. */
export function percentDone(bytesDone: number, bytesTotal: number): number {
  if (bytesTotal <= 0) return 100;
  const percent = Math.floor((Math.min(Math.max(bytesDone, 0), bytesTotal) * 100) / bytesTotal);
  return bytesDone >= bytesTotal ? 100 : Math.min(percent, 99);
}

function roundForDisplay(value: number): string {
  // 3 significant figures at most: 320 KB, 32.5 MB, 3.2 MB (one decimal below 100).
  const rounded = value >= 100 ? Math.round(value) : Math.round(value * 10) / 10;
  return String(rounded);
}
