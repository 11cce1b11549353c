/**
 * How long each upload request (segment) is. The relay makes a segment's bytes durable and
 * answers once it has all of them, so each segment costs a round trip, an fsync and a request
 * set-up; the uploader sends the next one only after that answer. Long segments spare that cost
 * on a fast link; short ones keep a request within what proxies and load balancers allow on a
 * slow link, and bound what a relay that crashes mid-segment loses. So the first segment is
 * short and each next one lasts about `targetMs` at the rate the last one went.
 */
export interface SegmentSizing {
  readonly minBytes: number;
  readonly maxBytes: number;
  /** How long a segment should take at the rate of the one before. */
  readonly targetMs: number;
}

export const DEFAULT_SEGMENT_SIZING: SegmentSizing = {
  minBytes: 8 * 1024 * 1024,
  maxBytes: 128 * 1024 * 1024,
  targetMs: 10_000,
};

/** The first segment's length. */
export function firstSegmentBytes(sizing: SegmentSizing): number {
  return sizing.minBytes;
}

/** The next segment's length, after the relay took `bytes` of the last one in `ms`. */
export function nextSegmentBytes(sizing: SegmentSizing, bytes: number, ms: number): number {
  if (bytes <= 0) return sizing.minBytes;
  const atThatRate = (bytes / Math.max(ms, 1)) * sizing.targetMs;
  return Math.round(Math.min(sizing.maxBytes, Math.max(sizing.minBytes, atThatRate)));
}
