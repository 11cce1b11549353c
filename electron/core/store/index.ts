/** The encrypted local store: what the messenger core uses. See README.md. */
export type { Account } from './account-repository';
export {
  type AccountStoreOptions,
  accountFiles,
  accountStoreExists,
  changePassphrase,
  createAccountStore,
  DATABASE_FILE,
  disableKeychain,
  enableKeychain,
  KEY_FILE,
  openAccountStore,
  unlockMethods,
} from './account-store';
export type {
  AttachmentState,
  BlobLocation,
  NewAttachment,
  StoredAttachment,
} from './attachment';
export type { AttachmentChange } from './attachment-repository';
export type { BlobCleanup } from './blob-cleanup-repository';
export type { Clock } from './clock';
export type { Contact, ContactDevice } from './contact-repository';
export type { Conversation, ConversationCursor } from './conversation-repository';
export { type DatabaseKey, generateDatabaseKey } from './database-key';
export type { Credential, Protection, UnlockMethod } from './key-wrap/key-vault';
export { KeyVault } from './key-wrap/key-vault';
export type { Keychain } from './key-wrap/keychain-wrap';
export { minimumLimits, moderateLimits, type PwhashLimits } from './key-wrap/passphrase-wrap';
export { DEFAULT_THROTTLE, type ThrottlePolicy } from './key-wrap/unlock-throttle';
export type { DeliveryState, MessageKind, NewMessage, StoredMessage } from './message';
export type { MessagePage, ReadMessage } from './message-repository';
export type { SearchPage } from './message-search';
export type { NewOutboxEntry, OutboxEntry } from './outbox-repository';
export type { KemPrekeyInfo, PrekeyRecord, SignedPrekeyInfo } from './prekey-repository';
export { DEFAULT_SEEN_RETENTION_MS } from './seen-message-repository';
export type { JsonValue } from './settings-repository';
export { loadSodium, type Sodium } from './sodium';
export { Store } from './store';
