/**
 * The encrypted attachment blob: one version byte, the 24-byte secretstream header, then the
 * plaintext in 64 KiB chunks, each sealed by crypto_secretstream_xchacha20poly1305_push (17
 * bytes more: tag byte and MAC). The last chunk (possibly empty, possibly full) carries
 * TAG_FINAL, so truncation, reordering, swapping or altering chunks fails to decrypt.
 */
export const ATTACHMENT_FORMAT_VERSION = 1;
export const ATTACHMENT_CHUNK_BYTES = 64 * 1024;
export const SECRETSTREAM_HEADER_BYTES = 24;
export const SECRETSTREAM_ABYTES = 17;
export const ATTACHMENT_PREFIX_BYTES = 1 + SECRETSTREAM_HEADER_BYTES;
export const ATTACHMENT_FRAME_BYTES = ATTACHMENT_CHUNK_BYTES + SECRETSTREAM_ABYTES;

/** The blob size for a file of `plaintextSize` bytes. */
export function attachmentCiphertextSize(plaintextSize: number): number {
  const chunks = Math.max(1, Math.ceil(plaintextSize / ATTACHMENT_CHUNK_BYTES));
  return ATTACHMENT_PREFIX_BYTES + plaintextSize + chunks * SECRETSTREAM_ABYTES;
}
