/**
 * Messages' files: the key, where the blob is on the relay, the encrypted copy on this device and
 * how far its transfer got. Rows go with their message (ON DELETE CASCADE); keys are returned as
 * copies the caller wipes once done.
 */
import type { ErrorInfo } from '../../../shared/errors';
import { ParleyError } from '../../../shared/errors';
import {
  ATTACHMENT_STATES,
  type AttachmentRow,
  type AttachmentState,
  type BlobLocation,
  type NewAttachment,
  type StoredAttachment,
  toAttachment,
} from './attachment';
import { checkMessageId } from './message';
import type { SqliteDatabase } from './open-database';
import { isConstraintError } from './sqlite-error';
import { scrubWal } from './wal-scrub';

/** What may change on a stored attachment; fields left out keep their value. */
export interface AttachmentChange {
  readonly state?: AttachmentState;
  readonly transferred?: number;
  readonly localFile?: string | null;
  readonly ciphertextHash?: Uint8Array;
  readonly blob?: BlobLocation | null;
  readonly error?: ErrorInfo | null;
}

export class AttachmentRepository {
  private readonly insertRow;
  private readonly selectOne;
  private readonly selectUnfinished;
  private readonly selectByConversation;
  private readonly selectLocalFiles;
  private readonly updateRow;
  private readonly updateTransferred;

  constructor(private readonly db: SqliteDatabase) {
    this.insertRow = db.prepare<[AttachmentRow]>(
      `INSERT INTO attachments (message_id, file_name, mime_type, size, ciphertext_size, thumbnail, file_key,
         ciphertext_hash, blob_id, capability_token, blob_expires_at, local_file, state, transferred,
         error_code, error_message, updated_at)
       VALUES (@message_id, @file_name, @mime_type, @size, @ciphertext_size, @thumbnail, @file_key,
         @ciphertext_hash, @blob_id, @capability_token, @blob_expires_at, @local_file, @state, @transferred,
         @error_code, @error_message, @updated_at)`,
    );
    this.selectOne = db.prepare<[string], AttachmentRow>('SELECT * FROM attachments WHERE message_id = ?');
    this.selectUnfinished = db.prepare<[], AttachmentRow>(
      `SELECT * FROM attachments WHERE state IN ('staging', 'uploading', 'downloading')`,
    );
    this.selectByConversation = db.prepare<[string], AttachmentRow>(
      `SELECT a.* FROM attachments AS a JOIN messages AS m ON m.id = a.message_id
       WHERE m.conversation_id = ?`,
    );
    this.selectLocalFiles = db
      .prepare<[], string>('SELECT local_file FROM attachments WHERE local_file IS NOT NULL')
      .pluck();
    this.updateRow = db.prepare<[AttachmentRow]>(
      `UPDATE attachments SET state = @state, transferred = @transferred, local_file = @local_file,
         ciphertext_hash = @ciphertext_hash, blob_id = @blob_id, capability_token = @capability_token,
         blob_expires_at = @blob_expires_at, error_code = @error_code, error_message = @error_message,
         updated_at = @updated_at
       WHERE message_id = @message_id`,
    );
    this.updateTransferred = db.prepare<[number, number, string]>(
      'UPDATE attachments SET transferred = ?, updated_at = ? WHERE message_id = ?',
    );
  }

  /** Stores a message's file; the message must be stored already (same transaction). */
  insert(attachment: NewAttachment): StoredAttachment {
    checkMessageId(attachment.messageId);
    if (!ATTACHMENT_STATES.includes(attachment.state)) {
      throw new ParleyError('INVALID_ARGUMENT', 'That is not a state a file can be in.');
    }
    const row: AttachmentRow = {
      message_id: attachment.messageId,
      file_name: attachment.fileName,
      mime_type: attachment.mimeType,
      size: attachment.size,
      ciphertext_size: attachment.ciphertextSize,
      thumbnail: attachment.thumbnail,
      file_key: attachment.fileKey,
      ciphertext_hash: attachment.ciphertextHash,
      blob_id: attachment.blob?.blobId ?? null,
      capability_token: attachment.blob?.capabilityToken ?? null,
      blob_expires_at: attachment.blob?.expiresAt ?? null,
      local_file: attachment.localFile,
      state: attachment.state,
      transferred: 0,
      error_code: null,
      error_message: null,
      updated_at: attachment.updatedAt,
    };
    try {
      this.insertRow.run(row);
    } catch (error) {
      if (isConstraintError(error, 'FOREIGNKEY')) {
        throw new ParleyError('NOT_FOUND', 'The message of this file does not exist any more.');
      }
      if (isConstraintError(error)) {
        throw new ParleyError('CONFLICT', 'This message has a file already.', { cause: error });
      }
      throw error;
    }
    return { ...attachment, transferred: 0, error: null };
  }

  get(messageId: string): StoredAttachment | undefined {
    const row = this.selectOne.get(messageId);
    return row && toAttachment(row);
  }

  /** Files being handed over, uploaded or downloaded: what to resume after a restart. */
  unfinished(): StoredAttachment[] {
    return this.selectUnfinished.all().map(toAttachment);
  }

  forConversation(conversationId: string): StoredAttachment[] {
    return this.selectByConversation.all(conversationId).map(toAttachment);
  }

  /** Names of every encrypted copy some message still refers to. */
  localFiles(): Set<string> {
    return new Set(this.selectLocalFiles.all());
  }

  /** Applies `change`; false when there is no such file (its message was deleted meanwhile). */
  update(messageId: string, change: AttachmentChange, at: number): boolean {
    const row = this.selectOne.get(messageId);
    if (!row) return false;
    if (change.state !== undefined && !ATTACHMENT_STATES.includes(change.state)) {
      throw new ParleyError('INVALID_ARGUMENT', 'That is not a state a file can be in.');
    }
    const blob = change.blob === undefined ? undefined : change.blob;
    const error = change.error === undefined ? undefined : change.error;
    this.updateRow.run({
      ...row,
      state: change.state ?? row.state,
      transferred: change.transferred ?? row.transferred,
      local_file: change.localFile === undefined ? row.local_file : change.localFile,
      ciphertext_hash: change.ciphertextHash ?? row.ciphertext_hash,
      blob_id: blob === undefined ? row.blob_id : (blob?.blobId ?? null),
      capability_token: blob === undefined ? row.capability_token : (blob?.capabilityToken ?? null),
      blob_expires_at: blob === undefined ? row.blob_expires_at : (blob?.expiresAt ?? null),
      error_code: error === undefined ? row.error_code : (error?.code ?? null),
      error_message: error === undefined ? row.error_message : (error?.message ?? null),
      updated_at: at,
    });
    return true;
  }

  /** Records transfer progress (called once per acknowledged upload segment, or now and then). */
  setTransferred(messageId: string, transferred: number, at: number): boolean {
    return this.updateTransferred.run(transferred, at, messageId).changes > 0;
  }

  /** After deleting files' keys: fold the WAL in, so no old page holding a key lingers there. */
  scrub(): void {
    scrubWal(this.db);
  }
}
