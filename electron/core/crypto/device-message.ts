/**
 * One message to or from one device, end to end: session encryption (Double Ratchet, or PQXDH
 * while unanswered) inside a sealed envelope. What the messenger calls for each device copy.
 */

import { assertNotReplayed, openEnvelope, replayKey, sealEnvelopeTo } from './envelope';
import type { IdentityKeyPair } from './identity';
import { type RandomBytes, systemRandomBytes } from './random';
import {
  type DecryptedMessage,
  decryptMessage,
  encryptMessage,
  type MessageMeta,
  type PrekeyLookup,
  type SessionState,
} from './session';
import type { Sodium } from './sodium';

export interface OpenedMessage extends DecryptedMessage {
  /** The sender's device address, authenticated by the session that decrypted it. */
  readonly sender: string;
  readonly messageId: Uint8Array;
  readonly timestamp: number;
  /** Store this with the message (unique) to refuse replays; see envelope.ts replayKey. */
  readonly replayKey: string;
}

/** Encrypts `plaintext` in `session` and seals it to the session's peer device. */
export function sealMessage(
  sodium: Sodium,
  session: SessionState,
  plaintext: Uint8Array,
  meta: MessageMeta,
): { readonly session: SessionState; readonly envelope: Uint8Array } {
  const encrypted = encryptMessage(sodium, session, plaintext, meta);
  const envelope = sealEnvelopeTo(sodium, session.remoteIdentityDhKey, {
    sender: session.localAddress,
    kind: encrypted.kind,
    body: encrypted.body,
    timestamp: meta.timestamp,
    messageId: meta.messageId,
  });
  return { session: encrypted.session, envelope };
}

/**
 * Opens an envelope sealed to this device, refuses a replay (when `seen` is given), then
 * decrypts it with the sender's sessions or sets up a new one. Pure: persist the returned
 * session, the consumed prekeys, the replay key and the message in one transaction.
 */
export function openMessage(
  sodium: Sodium,
  input: {
    readonly identity: IdentityKeyPair;
    readonly localAddress: string;
    readonly envelope: Uint8Array;
    /** This device's sessions with `sender`, newest first. */
    readonly sessionsWith: (sender: string) => readonly SessionState[];
    readonly prekeys: PrekeyLookup;
    readonly now: number;
    /** True when a message with this replay key was already received. */
    readonly seen?: (replayKey: string) => boolean;
  },
  random: RandomBytes = systemRandomBytes,
): OpenedMessage {
  const inner = openEnvelope(sodium, input.identity, input.envelope);
  if (input.seen) assertNotReplayed(inner, input.seen);
  const decrypted = decryptMessage(
    sodium,
    {
      identity: input.identity,
      localAddress: input.localAddress,
      sender: inner.sender,
      kind: inner.kind,
      body: inner.body,
      meta: { messageId: inner.messageId, timestamp: inner.timestamp },
      sessions: input.sessionsWith(inner.sender),
      prekeys: input.prekeys,
      now: input.now,
    },
    random,
  );
  return {
    ...decrypted,
    sender: inner.sender,
    messageId: inner.messageId,
    timestamp: inner.timestamp,
    replayKey: replayKey(inner),
  };
}
