import { describe, expect, it } from 'vitest';
import { formatBytes, formatSpeed, formatTimeLeft, percentDone, progressText } from './file-size';

describe('formatBytes', () => {
  it('says bytes below a kilobyte, and one byte in the singular', () => {
    expect(formatBytes(0)).toBe('0 bytes');
    expect(formatBytes(1)).toBe('1 byte');
    expect(formatBytes(999)).toBe('999 bytes');
  });

  it('uses decimal units with one decimal below 100', () => {
    expect(formatBytes(1000)).toBe('1 KB');
    expect(formatBytes(3_200_000)).toBe('3.2 MB');
    expect(formatBytes(10_000_000)).toBe('10 MB');
    expect(formatBytes(320_400)).toBe('320 KB');
    expect(formatBytes(2 * 1024 ** 3)).toBe('2.1 GB');
  });

  it('moves to the next unit instead of showing 1000', () => {
    expect(formatBytes(999_990)).toBe('1 MB');
    expect(formatBytes(999_499)).toBe('999 KB');
  });

  it('never shows NaN or a negative size', () => {
    expect(formatBytes(Number.NaN)).toBe('0 bytes');
    expect(formatBytes(-5)).toBe('0 bytes');
  });
});

describe('formatTimeLeft', () => {
  it('rounds up, in seconds, minutes and hours', () => {
    expect(formatTimeLeft(0.2)).toBe('1 s left');
    expect(formatTimeLeft(7.1)).toBe('8 s left');
    expect(formatTimeLeft(59)).toBe('59 s left');
    expect(formatTimeLeft(61)).toBe('2 min left');
    expect(formatTimeLeft(3600)).toBe('1 h left');
    expect(formatTimeLeft(3901)).toBe('1 h 6 min left');
  });
});

describe('progressText', () => {
  it('gives bytes, speed and time left', () => {
    expect(progressText({ bytesDone: 3_200_000, bytesTotal: 10_000_000, bytesPerSecond: 1_100_000 })).toBe(
      '3.2 MB of 10 MB · 1.1 MB/s · 7 s left',
    );
    expect(formatSpeed(1_100_000)).toBe('1.1 MB/s');
  });

  it('leaves out speed and time while the speed is unknown or the transfer is done', () => {
    expect(progressText({ bytesDone: 0, bytesTotal: 10_000_000, bytesPerSecond: 0 })).toBe(
      '0 bytes of 10 MB',
    );
    expect(progressText({ bytesDone: 10_000_000, bytesTotal: 10_000_000, bytesPerSecond: 5 })).toBe(
      '10 MB of 10 MB',
    );
  });
});

describe('percentDone', () => {
  it('says 100 only when all is done', () => {
    expect(percentDone(0, 10)).toBe(0);
    expect(percentDone(9_999, 10_000)).toBe(99);
    expect(percentDone(10_000, 10_000)).toBe(100);
    expect(percentDone(0, 0)).toBe(100);
    expect(percentDone(20, 10)).toBe(100);
  });
});
