/**
 * Schema version 2: files (README.md, Schema). Each attachment belongs to one message and goes
 * with it (ON DELETE CASCADE, secure_delete): deleting the message deletes the file's key, which
 * is what makes the encrypted copies on disk and on the relay unreadable (crypto-shredding).
 * `blob_cleanup` remembers relay blobs this device is done with, still to delete (its own) or
 * release (received) while the relay is away; it holds no key.
 */
import type { Migration } from './migrations';

const SQL = `
CREATE TABLE attachments (
  message_id TEXT PRIMARY KEY REFERENCES messages (id) ON DELETE CASCADE,
  file_name TEXT NOT NULL,
  mime_type TEXT NOT NULL,
  -- The plaintext size; ciphertext_size is what the relay holds (attachment-format.ts).
  size INTEGER NOT NULL CHECK (size >= 0),
  ciphertext_size INTEGER NOT NULL CHECK (ciphertext_size > 0),
  thumbnail BLOB,
  file_key BLOB NOT NULL CHECK (length(file_key) = 32),
  -- SHA-256 of the ciphertext: null while an outgoing file is still being handed over.
  ciphertext_hash BLOB CHECK (ciphertext_hash IS NULL OR length(ciphertext_hash) = 32),
  blob_id TEXT,
  capability_token TEXT,
  blob_expires_at INTEGER,
  -- The encrypted copy's name in the file cache; null when this device holds none.
  local_file TEXT,
  state TEXT NOT NULL CHECK (state IN ('staging', 'uploading', 'uploaded', 'failed', 'available',
    'downloading', 'downloaded', 'damaged', 'unavailable', 'blocked')),
  -- Ciphertext bytes the relay acknowledged (upload) or this device holds (download).
  transferred INTEGER NOT NULL DEFAULT 0,
  error_code TEXT,
  error_message TEXT,
  updated_at INTEGER NOT NULL
);
CREATE INDEX attachments_unfinished ON attachments (state)
  WHERE state IN ('staging', 'uploading', 'downloading');

CREATE TABLE blob_cleanup (
  blob_id TEXT PRIMARY KEY,
  -- Null: delete it as its uploader; otherwise release it as a recipient with this capability.
  capability_token TEXT,
  created_at INTEGER NOT NULL
) WITHOUT ROWID;

-- A file sent without a caption shows its name in the conversation list. The message row comes
-- first (its empty text makes an empty preview), then its attachment row.
CREATE TRIGGER attachments_preview AFTER INSERT ON attachments BEGIN
  UPDATE conversations SET last_message_preview = '📎 ' || new.file_name
  WHERE last_message_preview = ''
    AND id = (SELECT conversation_id FROM messages WHERE id = new.message_id);
END;
-- After a deletion the newest message may be a file without a caption: name it again.
CREATE TRIGGER conversations_file_preview AFTER UPDATE OF last_message_preview ON conversations
WHEN new.last_message_preview = '' BEGIN
  UPDATE conversations SET last_message_preview = coalesce((
    SELECT '📎 ' || a.file_name
    FROM (SELECT id FROM messages WHERE conversation_id = new.id ORDER BY seq DESC LIMIT 1) AS m
    JOIN attachments AS a ON a.message_id = m.id), '')
  WHERE id = new.id;
END;
`;

export const schemaV2: Migration = {
  version: 2,
  description: 'attachments (file keys, relay blobs, transfer state) and relay blobs to clean up',
  up(db) {
    db.exec(SQL);
  },
};
