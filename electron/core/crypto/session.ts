/**
 * Sessions: PQXDH set-up plus the Double Ratchet, per pair of devices. The initiator sends
 * PrekeyMessages until the responder answers (PQXDH §3.3); the responder builds its session
 * from the first one it can decrypt (§3.4). As in Sesame (§2, §3.3), a device may hold several
 * sessions with the same peer device; decryption tries each, newest first, and says which one
 * worked so the caller can make it the active one. All functions are pure: the caller persists
 * the returned session together with the message, or drops it.
 */
import { formatAddress } from '../../../shared/address';
import { ParleyError } from '../../../shared/errors';
import type { PrekeyBundle } from '../../../shared/prekeys';
import type { EnvelopeKind } from '../../../shared/wire/inner-envelope';
import { MESSAGE_ID_BYTES } from '../../../shared/wire/message-id';
import {
  decodePrekeyMessage,
  encodePrekeyMessage,
  type PrekeyMessage,
} from '../../../shared/wire/prekey-message';
import {
  decodeRatchetMessage,
  encodeRatchetMessage,
  type RatchetMessage,
} from '../../../shared/wire/ratchet-message';
import type { IdentityKeyPair } from './identity';
import {
  asDhPublicKey,
  asIdentityPublicKey,
  bytesEqual,
  type DhPublicKey,
  type IdentityPublicKey,
  wipe,
} from './keys';
import { pqxdhInitiate, pqxdhRespond } from './pqxdh';
import type { KemPrekeyRecord, OneTimePrekeyRecord, SignedPrekeyRecord } from './prekeys';
import { type RandomBytes, systemRandomBytes } from './random';
import {
  type AssociatedData,
  type RatchetHeader,
  type RatchetState,
  ratchetDecrypt,
  ratchetEncrypt,
  ratchetInitAlice,
  ratchetInitBob,
} from './ratchet';
import type { Sodium } from './sodium';

/** What the initiator repeats in each message until the responder answers. */
export interface PendingPrekey {
  readonly signedPrekeyId: number;
  readonly oneTimePrekeyId: number | null;
  readonly kemPrekeyId: number;
  readonly baseKey: DhPublicKey;
  readonly kemCiphertext: Uint8Array;
}

export interface SessionState {
  readonly localAddress: string;
  readonly remoteAddress: string;
  readonly localIdentityKey: IdentityPublicKey;
  readonly remoteIdentityKey: IdentityPublicKey;
  /** Its X25519 form, which envelopes to that device are sealed to (derived; kept to save the conversion). */
  readonly remoteIdentityDhKey: DhPublicKey;
  /** True on the side that initiated (PQXDH "Alice"). */
  readonly initiator: boolean;
  /** PQXDH AD (derived from the fields above). */
  readonly associatedData: Uint8Array;
  /** EK_A of the set-up: repeated PrekeyMessages with it belong to this session. */
  readonly baseKey: DhPublicKey;
  /** Set on the initiator's side until the first answer arrives. */
  readonly pendingPrekey: PendingPrekey | null;
  readonly createdAt: number;
  readonly ratchet: RatchetState;
}

/** Envelope fields every message authenticates along with its header. */
export interface MessageMeta {
  /** The 128-bit message id. */
  readonly messageId: Uint8Array;
  /** Sender's clock, ms since the epoch. */
  readonly timestamp: number;
}

/**
 * The responder's private prekeys by id. `'consumed'` means the id was issued and has been used
 * (for one-time keys: the store can tell when the id is at most the highest it issued), which is
 * refused as a reused prekey; undefined means it is unknown or expired.
 */
export interface PrekeyLookup {
  signedPrekey(id: number): SignedPrekeyRecord | undefined;
  oneTimePrekey(id: number): OneTimePrekeyRecord | 'consumed' | undefined;
  kemPrekey(id: number): KemPrekeyRecord | 'consumed' | undefined;
}

export interface DecryptedMessage {
  /** The session after this message; store it in the same transaction as the message. */
  readonly session: SessionState;
  /** Index in `sessions` of the session that decrypted it, or -1 for a newly set-up session. */
  readonly sessionIndex: number;
  readonly plaintext: Uint8Array;
  /** The sender's identity key; compare it with the one on file for the sender before trusting. */
  readonly remoteIdentityKey: IdentityPublicKey;
  /** One-time prekeys the new session used: delete them in the same transaction. */
  readonly consumedPrekeys: { readonly oneTimePrekeyId: number | null; readonly kemPrekeyId: number | null };
}

const NOTHING_CONSUMED = { oneTimePrekeyId: null, kemPrekeyId: null } as const;

/** Every SessionState is built here, fields in one order, so all sessions share a hidden class. */
export function sessionState(fields: SessionState): SessionState {
  return {
    localAddress: fields.localAddress,
    remoteAddress: fields.remoteAddress,
    localIdentityKey: fields.localIdentityKey,
    remoteIdentityKey: fields.remoteIdentityKey,
    remoteIdentityDhKey: fields.remoteIdentityDhKey,
    initiator: fields.initiator,
    associatedData: fields.associatedData,
    baseKey: fields.baseKey,
    pendingPrekey: fields.pendingPrekey,
    createdAt: fields.createdAt,
    ratchet: fields.ratchet,
  };
}

/** The same session with a new ratchet state (and, once answered, no pending prekey). */
export function withRatchet(
  session: SessionState,
  ratchet: RatchetState,
  pendingPrekey = session.pendingPrekey,
): SessionState {
  return {
    localAddress: session.localAddress,
    remoteAddress: session.remoteAddress,
    localIdentityKey: session.localIdentityKey,
    remoteIdentityKey: session.remoteIdentityKey,
    remoteIdentityDhKey: session.remoteIdentityDhKey,
    initiator: session.initiator,
    associatedData: session.associatedData,
    baseKey: session.baseKey,
    pendingPrekey,
    createdAt: session.createdAt,
    ratchet,
  };
}

/** PQXDH §3.3 then Double Ratchet §3.3 RatchetInitAlice: a new session towards the device of `bundle`. */
export function initiateSession(
  sodium: Sodium,
  input: {
    readonly identity: IdentityKeyPair;
    readonly localAddress: string;
    readonly bundle: PrekeyBundle;
    readonly now: number;
  },
  random: RandomBytes = systemRandomBytes,
): SessionState {
  const agreement = pqxdhInitiate(sodium, input, random);
  const ratchet = ratchetInitAlice(sodium, agreement.sharedKey, agreement.remoteSignedPrekey, random);
  wipe(sodium, agreement.sharedKey); // only the root key derived from it stays
  return sessionState({
    localAddress: input.localAddress,
    remoteAddress: formatAddress({ userId: input.bundle.userId, deviceId: input.bundle.deviceId }),
    localIdentityKey: input.identity.publicKey,
    remoteIdentityKey: agreement.remoteIdentityKey,
    remoteIdentityDhKey: agreement.remoteIdentityDhKey,
    initiator: true,
    associatedData: agreement.associatedData,
    baseKey: agreement.baseKey,
    pendingPrekey: {
      signedPrekeyId: agreement.signedPrekeyId,
      oneTimePrekeyId: agreement.oneTimePrekeyId,
      kemPrekeyId: agreement.kemPrekeyId,
      baseKey: agreement.baseKey,
      kemCiphertext: agreement.kemCiphertext,
    },
    createdAt: input.now,
    ratchet,
  });
}

/**
 * Double Ratchet §3.4 RatchetEncrypt, wrapped as a RatchetMessage, or as a PrekeyMessage (PQXDH
 * §3.3) while the session is unanswered. The AD is the PQXDH AD, the message id and time.
 */
export function encryptMessage(
  sodium: Sodium,
  session: SessionState,
  plaintext: Uint8Array,
  meta: MessageMeta,
): { readonly session: SessionState; readonly kind: EnvelopeKind; readonly body: Uint8Array } {
  const result = ratchetEncrypt(sodium, session.ratchet, plaintext, messageAd(session, meta));
  const { header } = result;
  const ratchetBytes = encodeRatchetMessage({
    ratchetKey: header.ratchetKey,
    previousCounter: header.previousCounter,
    counter: header.counter,
    ciphertext: result.ciphertext,
  });
  const next = withRatchet(session, result.state);
  const pending = session.pendingPrekey;
  if (!pending) return { session: next, kind: 'ratchet', body: ratchetBytes };
  const prekeyMessage: PrekeyMessage = {
    identityKey: session.localIdentityKey,
    baseKey: pending.baseKey,
    signedPrekeyId: pending.signedPrekeyId,
    oneTimePrekeyId: pending.oneTimePrekeyId,
    kemPrekeyId: pending.kemPrekeyId,
    kemCiphertext: pending.kemCiphertext,
    message: ratchetBytes,
  };
  return { session: next, kind: 'prekey', body: encodePrekeyMessage(prekeyMessage) };
}

/**
 * Decrypts a PrekeyMessage or RatchetMessage from `sender`. `sessions` are the caller's sessions
 * with that device, newest first. A PrekeyMessage with a known base key goes to its session;
 * otherwise it sets up a new one (PQXDH §3.4 + RatchetInitBob). Nothing is changed on failure.
 */
export function decryptMessage(
  sodium: Sodium,
  input: {
    readonly identity: IdentityKeyPair;
    readonly localAddress: string;
    readonly sender: string;
    readonly kind: EnvelopeKind;
    readonly body: Uint8Array;
    readonly meta: MessageMeta;
    readonly sessions: readonly SessionState[];
    readonly prekeys: PrekeyLookup;
    readonly now: number;
  },
  random: RandomBytes = systemRandomBytes,
): DecryptedMessage {
  const candidates: { readonly session: SessionState; readonly index: number }[] = [];
  for (let index = 0; index < input.sessions.length; index++) {
    const session = input.sessions[index]!;
    const ours =
      session.remoteAddress === input.sender &&
      session.localAddress === input.localAddress &&
      bytesEqual(session.localIdentityKey, input.identity.publicKey);
    if (ours) candidates.push({ session, index });
  }

  if (input.kind === 'ratchet') {
    const message = decodeRatchetMessage(input.body);
    if (candidates.length === 0) {
      throw new ParleyError(
        'CRYPTO_NO_SESSION',
        'A message arrived from a device this one has no session with. It cannot be read; ask the sender to send it again.',
      );
    }
    return decryptInSessions(sodium, candidates, message, input.meta, input.now, random);
  }

  if (input.kind !== 'prekey') throw new ParleyError('WIRE_MALFORMED', 'The message is of an unknown kind.');
  const prekeyMessage = decodePrekeyMessage(input.body);
  const message = decodeRatchetMessage(prekeyMessage.message);
  const remoteIdentityKey = asIdentityPublicKey(prekeyMessage.identityKey);
  const known = candidates.filter(
    ({ session }) =>
      bytesEqual(session.baseKey, prekeyMessage.baseKey) &&
      bytesEqual(session.remoteIdentityKey, remoteIdentityKey),
  );
  if (known.length > 0) return decryptInSessions(sodium, known, message, input.meta, input.now, random);
  return respond(sodium, input, prekeyMessage, remoteIdentityKey, message, random);
}

function respond(
  sodium: Sodium,
  input: Parameters<typeof decryptMessage>[1],
  prekeyMessage: PrekeyMessage,
  remoteIdentityKey: IdentityPublicKey,
  message: RatchetMessage,
  random: RandomBytes,
): DecryptedMessage {
  const signedPrekey = input.prekeys.signedPrekey(prekeyMessage.signedPrekeyId);
  if (!signedPrekey) {
    throw new ParleyError(
      'CRYPTO_MISSING_PREKEY',
      'A new session used a signed prekey this device no longer has. Ask the sender to send the message again.',
    );
  }
  let oneTimePrekey: OneTimePrekeyRecord | null = null;
  if (prekeyMessage.oneTimePrekeyId !== null) {
    oneTimePrekey = found(input.prekeys.oneTimePrekey(prekeyMessage.oneTimePrekeyId), 'one-time prekey');
  }
  const kemPrekey = found(input.prekeys.kemPrekey(prekeyMessage.kemPrekeyId), 'post-quantum prekey');
  const baseKey = asDhPublicKey(prekeyMessage.baseKey.slice());
  const agreement = pqxdhRespond(sodium, {
    identity: input.identity,
    localAddress: input.localAddress,
    remoteAddress: input.sender,
    remoteIdentityKey,
    baseKey,
    kemCiphertext: prekeyMessage.kemCiphertext,
    signedPrekey,
    oneTimePrekey,
    kemPrekey,
  });
  const fresh = sessionState({
    localAddress: input.localAddress,
    remoteAddress: input.sender,
    localIdentityKey: input.identity.publicKey,
    remoteIdentityKey: remoteIdentityKey.slice() as IdentityPublicKey,
    remoteIdentityDhKey: agreement.remoteIdentityDhKey,
    initiator: false,
    associatedData: agreement.associatedData,
    baseKey,
    pendingPrekey: null,
    createdAt: input.now,
    ratchet: ratchetInitBob(agreement.sharedKey, signedPrekey.keyPair),
  });
  let result: DecryptedMessage;
  try {
    result = decryptInSessions(
      sodium,
      [{ session: fresh, index: -1 }],
      message,
      input.meta,
      input.now,
      random,
    );
  } finally {
    // SK and the copy of the signed prekey's secret: the first DH ratchet step replaced both.
    wipe(sodium, fresh.ratchet.rootKey, fresh.ratchet.sendingRatchetKey.secretKey);
  }
  return {
    ...result,
    consumedPrekeys: {
      oneTimePrekeyId: oneTimePrekey ? oneTimePrekey.id : null,
      kemPrekeyId: kemPrekey.lastResort ? null : kemPrekey.id,
    },
  };
}

function found<T>(record: T | 'consumed' | undefined, what: string): T {
  if (record === 'consumed') {
    throw new ParleyError(
      'CRYPTO_PREKEY_REUSED',
      `A new session reused a ${what} that was already used, so it was refused (it may be a replay).`,
    );
  }
  if (record === undefined) {
    throw new ParleyError(
      'CRYPTO_MISSING_PREKEY',
      `A new session used a ${what} this device does not have. Ask the sender to send the message again.`,
    );
  }
  return record;
}

/** Tries each session in turn; reports the most telling failure if none can decrypt. */
function decryptInSessions(
  sodium: Sodium,
  candidates: readonly { readonly session: SessionState; readonly index: number }[],
  message: RatchetMessage,
  meta: MessageMeta,
  now: number,
  random: RandomBytes,
): DecryptedMessage {
  const header: RatchetHeader = {
    ratchetKey: asDhPublicKey(message.ratchetKey),
    previousCounter: message.previousCounter,
    counter: message.counter,
  };
  let failure: ParleyError | undefined;
  for (const { session, index } of candidates) {
    try {
      const result = ratchetDecrypt(
        sodium,
        session.ratchet,
        header,
        message.ciphertext,
        messageAd(session, meta),
        now,
        random,
      );
      return {
        // An answer in this session means the peer has it: stop sending PrekeyMessages (PQXDH §3.3).
        session: withRatchet(session, result.state, null),
        sessionIndex: index,
        plaintext: result.plaintext,
        remoteIdentityKey: session.remoteIdentityKey,
        consumedPrekeys: NOTHING_CONSUMED,
      };
    } catch (error) {
      if (!(error instanceof ParleyError)) throw error;
      if (!failure || rank(error) > rank(failure)) failure = error;
    }
  }
  throw failure ?? new ParleyError('CRYPTO_NO_SESSION', 'No session can read this message.');
}

/** A duplicate or an over-long gap says more than a plain authentication failure. */
function rank(error: ParleyError): number {
  switch (error.code) {
    case 'CRYPTO_DUPLICATE_MESSAGE':
      return 3;
    case 'CRYPTO_TOO_MANY_SKIPPED':
      return 2;
    case 'CRYPTO_DECRYPT_FAILED':
      return 1;
    default:
      return 0;
  }
}

/** AD ‖ message id ‖ timestamp (uint64 big-endian); the ratchet appends the header. */
function messageAd(session: SessionState, meta: MessageMeta): AssociatedData {
  if (!(meta.messageId instanceof Uint8Array) || meta.messageId.length !== MESSAGE_ID_BYTES) {
    throw new ParleyError('INVALID_ARGUMENT', 'A message id must be 16 bytes.');
  }
  if (!Number.isSafeInteger(meta.timestamp) || meta.timestamp < 0) {
    throw new ParleyError(
      'INVALID_ARGUMENT',
      'A message time must be a non-negative whole number of milliseconds.',
    );
  }
  const time = new Uint8Array(8);
  const high = Math.floor(meta.timestamp / 2 ** 32);
  const low = meta.timestamp >>> 0;
  for (let i = 0; i < 4; i++) {
    time[3 - i] = (high >>> (8 * i)) & 0xff;
    time[7 - i] = (low >>> (8 * i)) & 0xff;
  }
  return [session.associatedData, meta.messageId, time];
}
