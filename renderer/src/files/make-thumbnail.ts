/**
 * The sender's preview of an image (issue 6): decoded with createImageBitmap (which applies the
 * photo's EXIF orientation), drawn at most 320 px on its longest side, encoded as JPEG at the
 * best quality that fits the core's limit. Returns base64 for file.begin, or null when the image
 * cannot be decoded or no quality fits: the file is then sent without a preview.
 */
import { bytesToBase64 } from './base64';
import { canMakeThumbnail } from './file-kind';
import { encodeUnder, thumbnailSize } from './thumbnail-size';

/**
 * Larger images are sent without a preview: decoding holds every pixel in memory (a 100 MB
 * photo can be gigabytes of them), and the file itself is what matters.
 */
const MAX_SOURCE_BYTES = 64 * 1000 * 1000;

export type MakeThumbnail = (file: Blob, mimeType: string, maxBytes: number) => Promise<string | null>;

export const makeThumbnail: MakeThumbnail = async (file, mimeType, maxBytes) => {
  if (!canMakeThumbnail(mimeType) || file.size > MAX_SOURCE_BYTES || maxBytes <= 0) return null;
  if (typeof createImageBitmap !== 'function' || typeof OffscreenCanvas !== 'function') return null;
  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(file);
  } catch {
    return null; // not an image after all, or one this browser cannot read
  }
  try {
    const { width, height } = thumbnailSize(bitmap.width, bitmap.height);
    const canvas = new OffscreenCanvas(width, height);
    const context = canvas.getContext('2d');
    if (!context) return null;
    // JPEG has no transparency: a transparent PNG gets white behind it rather than black.
    context.fillStyle = '#ffffff';
    context.fillRect(0, 0, width, height);
    context.imageSmoothingEnabled = true;
    context.imageSmoothingQuality = 'high';
    context.drawImage(bitmap, 0, 0, width, height);
    const blob = await encodeUnder(
      (quality) => canvas.convertToBlob({ type: 'image/jpeg', quality }).catch(() => null),
      maxBytes,
    );
    return blob ? bytesToBase64(new Uint8Array(await blob.arrayBuffer())) : null;
  } catch {
    return null;
  } finally {
    bitmap.close();
  }
};
