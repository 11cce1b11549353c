/**
 * Thumbnails are made by the sender and travel inside the encrypted message, so they may be any
 * bytes. Only images the renderer can show safely in an <img> are kept (JPEG, PNG, WebP, known by
 * their magic numbers, never by what the sender claims), and they reach it as a data: URL.
 */
import { MAX_THUMBNAIL_BYTES } from '../../../shared/wire/content';

export type ThumbnailType = 'image/jpeg' | 'image/png' | 'image/webp';

export function thumbnailType(bytes: Uint8Array): ThumbnailType | null {
  if (bytes.length < 12 || bytes.length > MAX_THUMBNAIL_BYTES) return null;
  if (bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'image/jpeg';
  if (
    bytes[0] === 0x89 &&
    bytes[1] === 0x50 &&
    bytes[2] === 0x4e &&
    bytes[3] === 0x47 &&
    bytes[4] === 0x0d &&
    bytes[5] === 0x0a &&
    bytes[6] === 0x1a &&
    bytes[7] === 0x0a
  ) {
    return 'image/png';
  }
  const ascii = (from: number, to: number) => String.fromCharCode(...bytes.subarray(from, to));
  if (ascii(0, 4) === 'RIFF' && ascii(8, 12) === 'WEBP') return 'image/webp';
  return null;
}

/** The thumbnail if it is an image we show, else null. */
export function acceptedThumbnail(bytes: Uint8Array | null): Uint8Array | null {
  return bytes && thumbnailType(bytes) ? bytes : null;
}

export function thumbnailDataUrl(bytes: Uint8Array | null): string | null {
  const type = bytes && thumbnailType(bytes);
  if (!bytes || !type) return null;
  return `data:${type};base64,${Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64')}`;
}
