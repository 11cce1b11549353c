import { describe, expect, it } from 'vitest';
import { encodeUnder, thumbnailSize } from './thumbnail-size';

describe('thumbnailSize', () => {
  it('shrinks the longest side to 320 px and keeps the proportions', () => {
    expect(thumbnailSize(4000, 3000)).toEqual({ width: 320, height: 240 });
    expect(thumbnailSize(1000, 4000)).toEqual({ width: 80, height: 320 });
  });

  it('never enlarges a small image and never reaches zero', () => {
    expect(thumbnailSize(100, 50)).toEqual({ width: 100, height: 50 });
    expect(thumbnailSize(10_000, 1)).toEqual({ width: 320, height: 1 });
  });
});

describe('encodeUnder', () => {
  // A stand-in encoder whose output shrinks with the quality, as JPEG's does.
  const encoder = (bytesAtFull: number, tried: number[]) => async (quality: number) => {
    tried.push(quality);
    return new Blob([new Uint8Array(Math.round(bytesAtFull * quality))]);
  };

  it('keeps the best quality that fits', async () => {
    const tried: number[] = [];
    const blob = await encodeUnder(encoder(40_000, tried), 32 * 1024, [0.9, 0.8, 0.7, 0.5]);
    expect(tried).toEqual([0.9, 0.8]);
    expect(blob?.size).toBe(32_000);
  });

  it('gives up when even the lowest quality is too big, or the encoder fails', async () => {
    expect(await encodeUnder(encoder(1_000_000, []), 32 * 1024, [0.5, 0.2])).toBeNull();
    expect(await encodeUnder(async () => null, 32 * 1024, [0.5])).toBeNull();
  });
});
