/**
 * The inner envelope: what a sealed envelope holds once opened (DESIGN.md, Protocol: Envelopes).
 * Schema: proto/parley/wire/v1/envelope.proto.
 */
import { create, toBinary } from '@bufbuild/protobuf';
import { formatAddress, parseAddress } from '../address';
import { ParleyError } from '../errors';
import { MAX_INNER_ENVELOPE_BYTES } from './envelope-size';
import { EnvelopeType, InnerEnvelopeSchema } from './gen/parley/wire/v1/envelope_pb';
import { MESSAGE_ID_BYTES } from './message-id';
import {
  decodeProto,
  expectBytes,
  expectBytesBetween,
  expectSafeInteger,
  expectVersion,
} from './wire-checks';

export const INNER_ENVELOPE_VERSION = 1;

/** `prekey`: the body is a PrekeyMessage; `ratchet`: a RatchetMessage. */
export type EnvelopeKind = 'prekey' | 'ratchet';

export interface InnerEnvelope {
  /** The sender's device address, `userId.deviceId`. */
  readonly sender: string;
  readonly kind: EnvelopeKind;
  readonly body: Uint8Array;
  /** Sender's clock, ms since the Unix epoch. */
  readonly timestamp: number;
  readonly messageId: Uint8Array;
}

const WHAT = 'message envelope';

export function encodeInnerEnvelope(envelope: InnerEnvelope): Uint8Array {
  checkFields(envelope);
  return toBinary(
    InnerEnvelopeSchema,
    create(InnerEnvelopeSchema, {
      version: INNER_ENVELOPE_VERSION,
      sender: envelope.sender,
      type: envelope.kind === 'prekey' ? EnvelopeType.PREKEY : EnvelopeType.RATCHET,
      body: envelope.body,
      timestamp: BigInt(envelope.timestamp),
      messageId: envelope.messageId,
    }),
  );
}

export function decodeInnerEnvelope(bytes: Uint8Array): InnerEnvelope {
  const message = decodeProto(InnerEnvelopeSchema, bytes, WHAT, MAX_INNER_ENVELOPE_BYTES);
  expectVersion(message.version, INNER_ENVELOPE_VERSION, WHAT);
  let kind: EnvelopeKind;
  if (message.type === EnvelopeType.PREKEY) kind = 'prekey';
  else if (message.type === EnvelopeType.RATCHET) kind = 'ratchet';
  else throw new ParleyError('WIRE_MALFORMED', `The ${WHAT} has an unknown type, so it was refused.`);
  const envelope: InnerEnvelope = {
    sender: message.sender,
    kind,
    body: message.body,
    timestamp: expectSafeInteger(message.timestamp, `${WHAT} time`),
    messageId: message.messageId,
  };
  checkFields(envelope);
  return envelope;
}

function checkFields(envelope: InnerEnvelope): void {
  let canonical: string;
  try {
    canonical = formatAddress(parseAddress(envelope.sender));
  } catch (cause) {
    throw new ParleyError('WIRE_MALFORMED', `The ${WHAT} names no valid sender, so it was refused.`, {
      cause,
    });
  }
  // One spelling per device ("alice.1", never "alice.01"), so stores can key on it.
  if (canonical !== envelope.sender) {
    throw new ParleyError('WIRE_MALFORMED', `The ${WHAT} names no valid sender, so it was refused.`);
  }
  if (envelope.kind !== 'prekey' && envelope.kind !== 'ratchet') {
    throw new ParleyError('WIRE_MALFORMED', `The ${WHAT} has an unknown type, so it was refused.`);
  }
  expectBytesBetween(envelope.body, 1, MAX_INNER_ENVELOPE_BYTES, `${WHAT} body`);
  expectBytes(envelope.messageId, MESSAGE_ID_BYTES, `${WHAT} message id`);
  if (!Number.isSafeInteger(envelope.timestamp) || envelope.timestamp < 0) {
    throw new ParleyError('WIRE_MALFORMED', `The ${WHAT} time is out of range, so it was refused.`);
  }
}
