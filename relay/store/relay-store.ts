/**
 * Everything the relay keeps, behind one interface with two implementations that pass one shared
 * test suite (store-contract.ts): SQLite, the default (one file, nothing to install), and
 * PostgreSQL, for several relay nodes. Every method that changes several rows does it in one
 * transaction; account and device changes append their audit event in that same transaction.
 */
import type { DeviceAddress } from '../../shared/address';
import type { ErrorCode } from '../../shared/errors';
import type { PrekeyBundle, PrekeyCounts, PrekeyUpload } from '../../shared/prekeys';

export type UserStatus = 'active' | 'deactivated';

export interface UserRecord {
  readonly userId: string;
  readonly username: string;
  readonly displayName: string;
  readonly status: UserStatus;
  /** The identity provider's id for this user (SSO and SCIM, a later issue); null when local. */
  readonly externalId: string | null;
  readonly createdAt: number;
}

export interface DeviceRecord {
  readonly userId: string;
  readonly deviceId: number;
  readonly identityKey: Uint8Array;
  readonly createdAt: number;
  readonly lastSeenAt: number | null;
  readonly revokedAt: number | null;
  readonly userStatus: UserStatus;
}

export interface DirectoryRecord {
  readonly userId: string;
  readonly username: string;
  readonly displayName: string;
}

export interface NewInvitation {
  /** SHA-256 of the normalized code: the code itself is never stored. */
  readonly codeHash: Uint8Array;
  readonly username: string;
  readonly createdAt: number;
  readonly expiresAt: number;
  readonly actor: string;
}

export interface NewUser {
  readonly userId: string;
  readonly username: string;
  readonly displayName: string;
  readonly identityKey: Uint8Array;
  /** The invitation to consume, or null for open registration. */
  readonly invitationCodeHash: Uint8Array | null;
  readonly now: number;
  readonly actor: string;
}

export interface NewSession {
  readonly tokenHash: Uint8Array;
  readonly address: DeviceAddress;
  readonly expiresAt: number;
}

/** One sender batch: stored all together or not at all. */
export interface EnvelopeBatch {
  readonly envelopes: readonly { readonly to: DeviceAddress; readonly bytes: Uint8Array }[];
}

export interface StoredEnvelope {
  readonly id: string;
  readonly to: DeviceAddress;
  readonly bytes: Uint8Array;
}

export type BatchOutcome =
  | { readonly ok: true; readonly stored: readonly StoredEnvelope[] }
  | {
      readonly ok: false;
      readonly code: ErrorCode;
      readonly rejected: readonly { readonly index: number; readonly code: ErrorCode }[];
    };

export interface EnvelopeAck {
  readonly device: DeviceAddress;
  readonly ids: readonly string[];
}

/** What one group commit writes in one transaction. */
export interface CommitGroup {
  readonly batches: readonly EnvelopeBatch[];
  readonly acks: readonly EnvelopeAck[];
}

export interface MailboxLimits {
  readonly quota: number;
  readonly maxBytes: number;
  readonly now: number;
  readonly expiresAt: number;
}

export interface CommitResult {
  /** One per batch, in order. */
  readonly outcomes: readonly BatchOutcome[];
  /** Envelopes deleted by the acks. */
  readonly deleted: number;
}

export interface MailboxDepth {
  readonly count: number;
  readonly bytes: number;
}

export interface NewBlob {
  readonly id: string;
  readonly tokenHash: Uint8Array;
  readonly owner: DeviceAddress;
  readonly size: number;
  readonly createdAt: number;
  readonly expiresAt: number;
}

export interface BlobRecord extends NewBlob {
  readonly complete: boolean;
}

export type AuditEventType =
  | 'invitation.created'
  | 'user.registered'
  | 'device.added'
  | 'device.revoked'
  | 'user.deactivated';

export interface AuditEvent {
  readonly seq: number;
  readonly at: number;
  readonly type: AuditEventType;
  readonly userId: string | null;
  readonly deviceId: number | null;
  /** Who did it: `admin-cli`, `device:<address>`, `open-registration`, `invitation`... */
  readonly actor: string;
  /** Metadata only (usernames, counts): never content, keys or tokens. */
  readonly detail: Readonly<Record<string, string | number>>;
  /** SHA-256 over the previous event's hash and this event, hex: the log is a hash chain. */
  readonly hash: string;
}

export interface RelayStore {
  readonly kind: 'sqlite' | 'postgres';

  /** Throws when storage cannot be reached (readiness). */
  ping(): Promise<void>;

  // Accounts and devices
  createInvitation(invitation: NewInvitation): Promise<void>;
  /** Creates the user and its device 1, consuming the invitation; RELAY_USERNAME_TAKEN, RELAY_INVITATION_INVALID. */
  registerUser(user: NewUser): Promise<DeviceAddress>;
  addDevice(userId: string, identityKey: Uint8Array, now: number, actor: string): Promise<DeviceAddress>;
  getUser(userId: string): Promise<UserRecord | null>;
  getUserByUsername(username: string): Promise<UserRecord | null>;
  getDevice(address: DeviceAddress): Promise<DeviceRecord | null>;
  /** Devices of an active user that are not revoked. */
  listActiveDevices(userId: string): Promise<DeviceRecord[]>;
  touchDevice(address: DeviceAddress, now: number): Promise<void>;
  /** Revokes, and deletes its mailbox, prekeys and sessions; false if there was no such active device. */
  revokeDevice(address: DeviceAddress, now: number, actor: string): Promise<boolean>;
  /** Deactivates, and deletes its devices' mailboxes, prekeys and sessions; false if not active. */
  deactivateUser(userId: string, now: number, actor: string): Promise<boolean>;
  /** Active users whose username or display name (or a word of it) starts with `prefix`. */
  searchDirectory(prefix: string, limit: number): Promise<DirectoryRecord[]>;

  // Sessions (bearer tokens for the HTTP routes)
  createSession(session: NewSession): Promise<void>;
  /** The device of a live session whose device and user are still active. */
  findSession(tokenHash: Uint8Array, now: number): Promise<DeviceAddress | null>;

  // Prekeys
  savePrekeys(address: DeviceAddress, upload: PrekeyUpload): Promise<PrekeyCounts>;
  prekeyCounts(address: DeviceAddress): Promise<PrekeyCounts>;
  /**
   * One bundle per active device of an active user that has a signed prekey and a KEM prekey,
   * consuming one one-time EC and one one-time KEM prekey per device atomically.
   */
  takeBundles(userId: string): Promise<PrekeyBundle[]>;

  // Mailboxes
  commit(group: CommitGroup, limits: MailboxLimits): Promise<CommitResult>;
  /** Unexpired envelopes of a device in id order, after `afterId` (exclusive) when given. */
  pending(
    address: DeviceAddress,
    afterId: string | null,
    limit: number,
    now: number,
  ): Promise<StoredEnvelope[]>;
  depth(address: DeviceAddress): Promise<MailboxDepth>;
  totalDepth(): Promise<number>;
  expireEnvelopes(now: number): Promise<number>;

  // Attachment blobs (metadata; the bytes live in blob storage)
  createBlob(blob: NewBlob): Promise<void>;
  getBlob(id: string): Promise<BlobRecord | null>;
  markBlobComplete(id: string): Promise<void>;
  /** Deletes up to `limit` expired blob records and returns their ids, for their bytes to go too. */
  takeExpiredBlobs(now: number, limit: number): Promise<string[]>;

  /** Deletes expired sessions and invitations. */
  expireCredentials(now: number): Promise<void>;

  // Audit
  auditEvents(afterSeq: number, limit: number): Promise<AuditEvent[]>;
  /** The newest event's seq, 0 when the log is empty. */
  lastAuditSeq(): Promise<number>;

  close(): Promise<void>;
}
