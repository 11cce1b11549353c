/** A message's file as the store keeps it (schema-v2.ts). */
import type { ErrorInfo } from '../../../shared/errors';

/**
 * Sender: staging → uploading → uploaded, or failed. Recipient: available → downloading →
 * downloaded, or damaged, unavailable or blocked (and back to available when a download is
 * cancelled or may be tried again).
 */
export type AttachmentState =
  | 'staging'
  | 'uploading'
  | 'uploaded'
  | 'failed'
  | 'available'
  | 'downloading'
  | 'downloaded'
  | 'damaged'
  | 'unavailable'
  | 'blocked';

export const ATTACHMENT_STATES: readonly AttachmentState[] = [
  'staging',
  'uploading',
  'uploaded',
  'failed',
  'available',
  'downloading',
  'downloaded',
  'damaged',
  'unavailable',
  'blocked',
];

export interface BlobLocation {
  readonly blobId: string;
  readonly capabilityToken: string;
  readonly expiresAt: number | null;
}

export interface NewAttachment {
  readonly messageId: string;
  readonly fileName: string;
  readonly mimeType: string;
  readonly size: number;
  readonly ciphertextSize: number;
  readonly thumbnail: Uint8Array | null;
  /** The file's secretstream key (32 bytes): the only way to read its encrypted copies. */
  readonly fileKey: Uint8Array;
  readonly ciphertextHash: Uint8Array | null;
  readonly blob: BlobLocation | null;
  readonly localFile: string | null;
  readonly state: AttachmentState;
  readonly updatedAt: number;
}

export interface StoredAttachment extends NewAttachment {
  readonly transferred: number;
  readonly error: ErrorInfo | null;
}

export interface AttachmentRow {
  message_id: string;
  file_name: string;
  mime_type: string;
  size: number;
  ciphertext_size: number;
  thumbnail: Uint8Array | null;
  file_key: Uint8Array;
  ciphertext_hash: Uint8Array | null;
  blob_id: string | null;
  capability_token: string | null;
  blob_expires_at: number | null;
  local_file: string | null;
  state: AttachmentState;
  transferred: number;
  error_code: ErrorInfo['code'] | null;
  error_message: string | null;
  updated_at: number;
}

export function toAttachment(row: AttachmentRow): StoredAttachment {
  return {
    messageId: row.message_id,
    fileName: row.file_name,
    mimeType: row.mime_type,
    size: row.size,
    ciphertextSize: row.ciphertext_size,
    thumbnail: row.thumbnail && new Uint8Array(row.thumbnail),
    fileKey: new Uint8Array(row.file_key),
    ciphertextHash: row.ciphertext_hash && new Uint8Array(row.ciphertext_hash),
    blob:
      row.blob_id !== null && row.capability_token !== null
        ? { blobId: row.blob_id, capabilityToken: row.capability_token, expiresAt: row.blob_expires_at }
        : null,
    localFile: row.local_file,
    state: row.state,
    transferred: row.transferred,
    error:
      row.error_code !== null && row.error_message !== null
        ? { code: row.error_code, message: row.error_message }
        : null,
    updatedAt: row.updated_at,
  };
}
