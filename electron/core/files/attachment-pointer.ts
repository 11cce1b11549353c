/**
 * Between the store's attachment rows and the wire's AttachmentPointer, the part of an
 * encrypted message that lets the recipient fetch and open a file.
 */
import type { AttachmentPointer } from '../../../shared/wire/content';
import { attachmentCiphertextSize } from '../crypto';
import type { NewAttachment, StoredAttachment } from '../store';
import { normalizeMimeType } from './file-policy';
import { sanitizeFileName } from './safe-file-name';
import { acceptedThumbnail } from './thumbnail';

/** The pointer for a file that is on the relay, or null when it is not (yet). */
export function pointerOf(attachment: StoredAttachment): AttachmentPointer | null {
  if (!attachment.blob || !attachment.ciphertextHash || attachment.state !== 'uploaded') return null;
  return {
    key: attachment.fileKey,
    ciphertextHash: attachment.ciphertextHash,
    size: attachment.size,
    fileName: attachment.fileName,
    mimeType: attachment.mimeType,
    blobId: attachment.blob.blobId,
    capabilityToken: attachment.blob.capabilityToken,
    thumbnail: attachment.thumbnail,
  };
}

/** A received pointer as a row to store: name made safe, thumbnail kept only if it is an image. */
export function receivedAttachment(
  messageId: string,
  pointer: AttachmentPointer,
  now: number,
): NewAttachment {
  return {
    messageId,
    fileName: sanitizeFileName(pointer.fileName),
    mimeType: normalizeMimeType(pointer.mimeType),
    size: pointer.size,
    ciphertextSize: attachmentCiphertextSize(pointer.size),
    thumbnail: acceptedThumbnail(pointer.thumbnail),
    fileKey: pointer.key,
    ciphertextHash: pointer.ciphertextHash,
    blob: { blobId: pointer.blobId, capabilityToken: pointer.capabilityToken, expiresAt: null },
    localFile: null,
    state: 'available',
    updatedAt: now,
  };
}
