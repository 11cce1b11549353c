/**
 * Schema version 3: a conversation can be muted for a while. `muted_until` is when a mute ends
 * (ms since the epoch); NULL with `muted = 1` mutes until the user unmutes.
 */
import type { Migration } from './migrations';

export const schemaV3: Migration = {
  version: 3,
  description: 'conversations muted for a while (muted_until)',
  up(db) {
    db.exec('ALTER TABLE conversations ADD COLUMN muted_until INTEGER');
  },
};
