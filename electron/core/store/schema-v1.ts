/**
 * The first schema of the client database (README.md, Schema). Times are milliseconds since the
 * epoch; serialized key material is opaque bytes owned by the crypto layer.
 */
import type { Migration } from './migrations';

const SQL = `
CREATE TABLE account (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  user_id TEXT NOT NULL,
  device_id INTEGER NOT NULL,
  username TEXT NOT NULL,
  display_name TEXT NOT NULL,
  relay_url TEXT NOT NULL,
  created_at INTEGER NOT NULL
);

CREATE TABLE identity (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  key_pair BLOB NOT NULL,
  created_at INTEGER NOT NULL
);

CREATE TABLE signed_prekeys (
  id INTEGER PRIMARY KEY,
  record BLOB NOT NULL,
  created_at INTEGER NOT NULL,
  retired_at INTEGER
);

CREATE TABLE one_time_prekeys (
  id INTEGER PRIMARY KEY,
  record BLOB NOT NULL,
  created_at INTEGER NOT NULL
);

CREATE TABLE kem_prekeys (
  id INTEGER PRIMARY KEY,
  record BLOB NOT NULL,
  last_resort INTEGER NOT NULL CHECK (last_resort IN (0, 1)),
  created_at INTEGER NOT NULL,
  retired_at INTEGER
);

CREATE TABLE contacts (
  user_id TEXT PRIMARY KEY,
  username TEXT NOT NULL,
  display_name TEXT NOT NULL,
  identity_key BLOB NOT NULL,
  verified INTEGER NOT NULL DEFAULT 0 CHECK (verified IN (0, 1)),
  key_changed INTEGER NOT NULL DEFAULT 0 CHECK (key_changed IN (0, 1)),
  updated_at INTEGER NOT NULL
);
CREATE INDEX contacts_by_username ON contacts (username);

CREATE TABLE contact_devices (
  user_id TEXT NOT NULL REFERENCES contacts (user_id) ON DELETE CASCADE,
  device_id INTEGER NOT NULL,
  identity_key BLOB NOT NULL,
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (user_id, device_id)
) WITHOUT ROWID;

CREATE TABLE sessions (
  id INTEGER PRIMARY KEY,
  user_id TEXT NOT NULL,
  device_id INTEGER NOT NULL,
  state BLOB NOT NULL,
  updated_at INTEGER NOT NULL,
  UNIQUE (user_id, device_id)
);

CREATE TABLE conversations (
  id TEXT PRIMARY KEY,
  peer_user_id TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  last_message_at INTEGER,
  last_message_preview TEXT,
  -- last_message_at, or created_at before the first message: what the list is ordered by.
  activity_at INTEGER NOT NULL,
  unread_count INTEGER NOT NULL DEFAULT 0,
  muted INTEGER NOT NULL DEFAULT 0 CHECK (muted IN (0, 1))
);
CREATE UNIQUE INDEX conversations_by_peer ON conversations (peer_user_id);
CREATE INDEX conversations_by_activity ON conversations (activity_at DESC, id DESC);

CREATE TABLE messages (
  -- The local sequence: strictly increasing, never reused, the order of a chat and the FTS rowid.
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  id TEXT NOT NULL UNIQUE CHECK (length(id) = 32),
  conversation_id TEXT NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
  sender_user_id TEXT NOT NULL,
  outgoing INTEGER NOT NULL CHECK (outgoing IN (0, 1)),
  kind TEXT NOT NULL CHECK (kind IN ('text', 'system')),
  text TEXT NOT NULL,
  sent_at INTEGER NOT NULL,
  received_at INTEGER,
  state TEXT NOT NULL CHECK (state IN ('sending', 'sent', 'delivered', 'read', 'failed'))
);
CREATE INDEX messages_by_conversation ON messages (conversation_id, seq);
CREATE INDEX messages_unread ON messages (conversation_id, seq) WHERE outgoing = 0 AND state = 'delivered';

-- External-content FTS5 over the text of text messages, rowid = seq. External content (not
-- contentless) because FTS5's secure-delete then really removes a deleted message's terms.
-- Prefix indexes (1 to 3 characters) make short prefix queries read one doclist instead of
-- merging thousands ("t*" took 110 ms at 1M messages without one).
CREATE VIRTUAL TABLE messages_fts USING fts5 (
  text,
  content = 'messages',
  content_rowid = 'seq',
  tokenize = 'unicode61 remove_diacritics 2',
  prefix = '1 2 3'
);
INSERT INTO messages_fts (messages_fts, rank) VALUES ('secure-delete', 1);

CREATE TRIGGER messages_fts_insert AFTER INSERT ON messages WHEN new.kind = 'text' BEGIN
  INSERT INTO messages_fts (rowid, text) VALUES (new.seq, new.text);
END;
CREATE TRIGGER messages_fts_delete AFTER DELETE ON messages WHEN old.kind = 'text' BEGIN
  INSERT INTO messages_fts (messages_fts, rowid, text) VALUES ('delete', old.seq, old.text);
END;
CREATE TRIGGER messages_fts_update AFTER UPDATE OF text ON messages WHEN old.kind = 'text' BEGIN
  INSERT INTO messages_fts (messages_fts, rowid, text) VALUES ('delete', old.seq, old.text);
  INSERT INTO messages_fts (rowid, text) VALUES (new.seq, new.text);
END;

CREATE TABLE outbox (
  id INTEGER PRIMARY KEY,
  message_id TEXT NOT NULL,
  recipient_user_id TEXT NOT NULL,
  recipient_device_id INTEGER NOT NULL,
  envelope BLOB NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  UNIQUE (message_id, recipient_user_id, recipient_device_id)
);
CREATE INDEX outbox_due ON outbox (next_attempt_at, id);

CREATE TABLE seen_messages (
  message_id TEXT PRIMARY KEY,
  seen_at INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX seen_messages_by_time ON seen_messages (seen_at);

CREATE TABLE settings (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
) WITHOUT ROWID;
`;

export const schemaV1: Migration = {
  version: 1,
  description:
    'account, keys, contacts, sessions, conversations, messages with FTS5, outbox, seen ids, settings',
  up(db) {
    db.exec(SQL);
  },
};
