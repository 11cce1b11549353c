/**
 * Sealed envelopes (DESIGN.md, Protocol: Envelopes): the inner envelope is padded to a size
 * bucket (ISO/IEC 7816-4 padding, libsodium sodium_pad) and sealed with crypto_box_seal to the
 * X25519 form of the recipient device's identity key. The relay learns the recipient device,
 * the bucket and the time; the sender, the kind of message and its id stay inside.
 */
import { ParleyError } from '../../../shared/errors';
import { isSealedEnvelopeSize, paddedInnerSize } from '../../../shared/wire/envelope-size';
import {
  decodeInnerEnvelope,
  encodeInnerEnvelope,
  type InnerEnvelope,
} from '../../../shared/wire/inner-envelope';
import { MESSAGE_ID_BYTES, messageIdToString } from '../../../shared/wire/message-id';
import { type IdentityKeyPair, identityDhPublicKey } from './identity';
import type { DhPublicKey, IdentityPublicKey } from './keys';
import { type RandomBytes, systemRandomBytes } from './random';
import type { Sodium } from './sodium';

/** A fresh random 128-bit message id. */
export function newMessageId(random: RandomBytes = systemRandomBytes): Uint8Array {
  return random(MESSAGE_ID_BYTES);
}

/** Pads and seals `inner` to the device whose identity key is `recipientIdentityKey`. */
export function sealEnvelope(
  sodium: Sodium,
  recipientIdentityKey: IdentityPublicKey,
  inner: InnerEnvelope,
): Uint8Array {
  return sealEnvelopeTo(sodium, identityDhPublicKey(sodium, recipientIdentityKey), inner);
}

/**
 * The same, given the X25519 form of the recipient's identity key (SessionState keeps it:
 * converting an Ed25519 key costs about a third of a seal).
 */
export function sealEnvelopeTo(
  sodium: Sodium,
  recipientDhKey: DhPublicKey,
  inner: InnerEnvelope,
): Uint8Array {
  const encoded = encodeInnerEnvelope(inner);
  const size = paddedInnerSize(encoded.length);
  if (size === undefined) {
    throw new ParleyError(
      'MESSAGE_TOO_LARGE',
      'This message is too large to send. Shorten it or send it as a file.',
    );
  }
  // sodium_pad pads to a multiple of the block size, always adding at least one byte; encoded is shorter than `size`.
  const padded = sodium.pad(encoded, size);
  return sodium.crypto_box_seal(padded, recipientDhKey);
}

/**
 * Opens an envelope sealed to this device: checks the size bucket, opens the box, removes the
 * padding and decodes the inner envelope, in that order, each failure a typed error.
 */
export function openEnvelope(sodium: Sodium, identity: IdentityKeyPair, sealed: Uint8Array): InnerEnvelope {
  if (!(sealed instanceof Uint8Array) || !isSealedEnvelopeSize(sealed.length)) {
    throw new ParleyError(
      'WIRE_BAD_LENGTH',
      'An envelope arrived with a size Parley never sends (it was cut short or padded wrongly).',
    );
  }
  let padded: Uint8Array;
  try {
    padded = sodium.crypto_box_seal_open(sealed, identity.dhPublicKey, identity.dhSecretKey);
  } catch (cause) {
    throw new ParleyError(
      'CRYPTO_WRONG_RECIPIENT',
      "An envelope could not be opened with this device's key: it was sealed to another device or altered.",
      { cause },
    );
  }
  let inner: Uint8Array;
  try {
    inner = sodium.unpad(padded, padded.length);
  } catch (cause) {
    throw new ParleyError('WIRE_MALFORMED', 'An envelope has invalid padding, so it was refused.', { cause });
  }
  return decodeInnerEnvelope(inner);
}

/**
 * The key a store keeps, per received message, to refuse a replay: the sender device and the
 * message id (ids are random, but a sender must not be able to shadow another sender's ids).
 */
export function replayKey(envelope: Pick<InnerEnvelope, 'sender' | 'messageId'>): string {
  return `${envelope.sender}/${messageIdToString(envelope.messageId)}`;
}

/** Throws CRYPTO_REPLAY when `seen` says this envelope's replay key was already received. */
export function assertNotReplayed(
  envelope: Pick<InnerEnvelope, 'sender' | 'messageId'>,
  seen: (replayKey: string) => boolean,
): void {
  if (seen(replayKey(envelope))) {
    throw new ParleyError('CRYPTO_REPLAY', 'This message was already received; the copy was ignored.');
  }
}
