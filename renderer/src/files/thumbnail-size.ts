/**
 * The arithmetic of a preview: its size (longest side 320 px, never enlarged) and the JPEG
 * quality that brings it under the core's byte limit. The drawing itself is make-thumbnail.ts.
 */

export const THUMBNAIL_SIDE = 320;

/** Qualities tried in turn, best first; a preview that does not fit at the last is left out. */
export const THUMBNAIL_QUALITIES = [0.82, 0.72, 0.62, 0.5, 0.4, 0.3, 0.2] as const;

export function thumbnailSize(
  width: number,
  height: number,
  maxSide = THUMBNAIL_SIDE,
): { width: number; height: number } {
  const longest = Math.max(width, height);
  if (longest <= maxSide) return { width: Math.max(1, width), height: Math.max(1, height) };
  const scale = maxSide / longest;
  return { width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(height * scale)) };
}

/** The first encoding, best quality first, of at most `maxBytes`; null when none fits. */
export async function encodeUnder(
  encode: (quality: number) => Promise<Blob | null>,
  maxBytes: number,
  qualities: readonly number[] = THUMBNAIL_QUALITIES,
): Promise<Blob | null> {
  for (const quality of qualities) {
    const blob = await encode(quality);
    if (blob && blob.size > 0 && blob.size <= maxBytes) return blob;
  }
  return null;
}
