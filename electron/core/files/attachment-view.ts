/** A stored attachment as the renderer sees it (shared/ipc.ts AttachmentView): nothing secret. */
import type { AttachmentView, FileTransferState } from '../../../shared/ipc';
import type { StoredAttachment } from '../store';
import { thumbnailDataUrl } from './thumbnail';

export function attachmentView(attachment: StoredAttachment): AttachmentView {
  return {
    fileName: attachment.fileName,
    mimeType: attachment.mimeType,
    size: attachment.size,
    thumbnail: thumbnailDataUrl(attachment.thumbnail),
    state: attachment.state,
    bytesDone: plaintextDone(attachment, attachment.transferred),
    error: attachment.error,
  };
}

/** Ciphertext bytes done, as bytes of the file itself (what a person expects to see). */
export function plaintextDone(
  attachment: { readonly size: number; readonly ciphertextSize: number; readonly state: FileTransferState },
  ciphertextDone: number,
): number {
  if (attachment.state === 'uploaded' || attachment.state === 'downloaded') return attachment.size;
  if (attachment.ciphertextSize <= 0) return 0;
  return Math.min(
    attachment.size,
    Math.floor((ciphertextDone * attachment.size) / attachment.ciphertextSize),
  );
}
