/** The protocol core's public API (see README.md for the order the messenger calls it in). */

export { type AttachmentCrypto, inThreadAttachmentCrypto } from './attachment-crypto';
export { AttachmentDecryptor, type AttachmentExpectation } from './attachment-decryptor';
export { AttachmentEncryptor, type EncryptedAttachment } from './attachment-encryptor';
export { ATTACHMENT_CHUNK_BYTES, attachmentCiphertextSize } from './attachment-format';
export { startIfAttachmentWorker } from './attachment-worker';
export { AttachmentWorkerThread } from './attachment-worker-thread';
export { type OpenedMessage, openMessage, sealMessage } from './device-message';
export {
  assertNotReplayed,
  newMessageId,
  openEnvelope,
  replayKey,
  sealEnvelope,
  sealEnvelopeTo,
} from './envelope';
export {
  createIdentity,
  deserializeIdentity,
  type IdentityKeyPair,
  identityDhPublicKey,
  serializeIdentity,
  signWithIdentity,
  verifyIdentitySignature,
  wipeIdentity,
} from './identity';
export * from './keys';
export * from './prekey-rotation';
export {
  deserializeKemPrekey,
  deserializeOneTimePrekey,
  deserializeSignedPrekey,
  serializeKemPrekey,
  serializeOneTimePrekey,
  serializeSignedPrekey,
} from './prekey-serialization';
export {
  generateKemPrekey,
  generateOneTimeKemPrekeys,
  generateOneTimePrekeys,
  generateSignedPrekey,
  type KemPrekeyRecord,
  MAX_PREKEY_ID,
  makePrekeyUpload,
  nextPrekeyId,
  type OneTimePrekeyRecord,
  type SignedPrekeyRecord,
  toOneTimeEcPrekey,
  toSignedEcPrekey,
  toSignedKemPrekey,
  verifySignedEcPrekey,
  verifySignedKemPrekey,
} from './prekeys';
export { type RandomBytes, systemRandomBytes } from './random';
export { MAX_SKIP, MAX_SKIPPED_KEYS, SKIPPED_KEY_MAX_AGE_MS } from './ratchet';
export {
  formatSafetyNumber,
  type SafetyNumber,
  type SafetyNumberParty,
  safetyNumber,
  verifySafetyNumberCode,
} from './safety-number';
export {
  type DecryptedMessage,
  decryptMessage,
  encryptMessage,
  initiateSession,
  type MessageMeta,
  type PrekeyLookup,
  type SessionState,
} from './session';
export { deserializeSession, serializeSession } from './session-serialization';
export { loadSodium, type Sodium } from './sodium';
