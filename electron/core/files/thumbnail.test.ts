import { describe, expect, it } from 'vitest';
import { acceptedThumbnail, thumbnailDataUrl, thumbnailType } from './thumbnail';

const bytes = (head: number[], length = 64) => {
  const b = new Uint8Array(length);
  b.set(head);
  return b;
};
const ascii = (s: string) => [...s].map((c) => c.charCodeAt(0));

describe('thumbnails', () => {
  it('knows JPEG, PNG and WebP by their first bytes', () => {
    expect(thumbnailType(bytes([0xff, 0xd8, 0xff, 0xe0]))).toBe('image/jpeg');
    expect(thumbnailType(bytes([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))).toBe('image/png');
    expect(thumbnailType(bytes([...ascii('RIFF'), 0, 0, 0, 0, ...ascii('WEBP')]))).toBe('image/webp');
  });

  it('drops anything else, whatever its sender calls it', () => {
    expect(thumbnailType(bytes(ascii('<svg onload=alert(1)>')))).toBeNull();
    expect(thumbnailType(bytes(ascii('GIF89a')))).toBeNull();
    expect(thumbnailType(bytes([0xff, 0xd8, 0xff], 40_000))).toBeNull(); // over 32 KiB
    expect(acceptedThumbnail(bytes(ascii('<html>')))).toBeNull();
    expect(thumbnailDataUrl(null)).toBeNull();
  });

  it('reaches the renderer as a data URL of the detected type', () => {
    const jpeg = bytes([0xff, 0xd8, 0xff, 0xdb], 12);
    expect(thumbnailDataUrl(jpeg)).toBe(`data:image/jpeg;base64,${Buffer.from(jpeg).toString('base64')}`);
  });
});
