import { describe, expect, it } from 'vitest';
import { DEFAULT_SEGMENT_SIZING, firstSegmentBytes, nextSegmentBytes } from './segment-sizing';

const MIB = 1024 * 1024;
const sizing = { minBytes: 8 * MIB, maxBytes: 128 * MIB, targetMs: 10_000 };

describe('upload segment sizing', () => {
  it('starts short', () => {
    expect(firstSegmentBytes(sizing)).toBe(8 * MIB);
    expect(firstSegmentBytes(DEFAULT_SEGMENT_SIZING)).toBe(8 * MIB);
  });

  it('grows to the longest on a fast link (a segment of 8 MiB in 40 ms)', () => {
    expect(nextSegmentBytes(sizing, 8 * MIB, 40)).toBe(128 * MIB);
  });

  it('lasts about the target at the rate of the last segment', () => {
    // 4 MiB/s: 40 MiB in 10 s.
    expect(nextSegmentBytes(sizing, 8 * MIB, 2_000)).toBe(40 * MIB);
  });

  it('stays at the shortest on a slow link or when the relay took nothing', () => {
    expect(nextSegmentBytes(sizing, 8 * MIB, 60_000)).toBe(8 * MIB);
    expect(nextSegmentBytes(sizing, 0, 10)).toBe(8 * MIB);
  });

  it('treats a segment answered within the same millisecond as 1 ms long', () => {
    expect(nextSegmentBytes(sizing, 1 * MIB, 0)).toBe(128 * MIB);
  });
});
