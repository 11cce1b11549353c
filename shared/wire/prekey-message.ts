/**
 * The PQXDH initial message (PQXDH §3.3): the initiator's identity and ephemeral keys, which of
 * the responder's prekeys it used, the ML-KEM ciphertext, and the first ratchet message.
 * Schema: proto/parley/wire/v1/session_message.proto.
 */
import { create, toBinary } from '@bufbuild/protobuf';
import { ED25519_PUBLIC_BYTES, MLKEM1024_CIPHERTEXT_BYTES, X25519_PUBLIC_BYTES } from '../prekeys';
import { MAX_INNER_ENVELOPE_BYTES } from './envelope-size';
import { PrekeyMessageSchema } from './gen/parley/wire/v1/session_message_pb';
import { decodeProto, expectBytes, expectBytesBetween, expectVersion } from './wire-checks';

export const PREKEY_MESSAGE_VERSION = 1;

export interface PrekeyMessage {
  /** The initiator's Ed25519 identity key IK_A. */
  readonly identityKey: Uint8Array;
  /** The initiator's ephemeral X25519 key EK_A. */
  readonly baseKey: Uint8Array;
  readonly signedPrekeyId: number;
  readonly oneTimePrekeyId: number | null;
  readonly kemPrekeyId: number;
  readonly kemCiphertext: Uint8Array;
  /** An encoded RatchetMessage. */
  readonly message: Uint8Array;
}

const WHAT = 'session set-up message';

export function encodePrekeyMessage(message: PrekeyMessage): Uint8Array {
  return toBinary(
    PrekeyMessageSchema,
    create(PrekeyMessageSchema, {
      version: PREKEY_MESSAGE_VERSION,
      identityKey: message.identityKey,
      baseKey: message.baseKey,
      signedPrekeyId: message.signedPrekeyId,
      ...(message.oneTimePrekeyId === null ? {} : { oneTimePrekeyId: message.oneTimePrekeyId }),
      kemPrekeyId: message.kemPrekeyId,
      kemCiphertext: message.kemCiphertext,
      message: message.message,
    }),
  );
}

export function decodePrekeyMessage(bytes: Uint8Array): PrekeyMessage {
  const message = decodeProto(PrekeyMessageSchema, bytes, WHAT, MAX_INNER_ENVELOPE_BYTES);
  expectVersion(message.version, PREKEY_MESSAGE_VERSION, WHAT);
  return {
    identityKey: expectBytes(message.identityKey, ED25519_PUBLIC_BYTES, `${WHAT} identity key`),
    baseKey: expectBytes(message.baseKey, X25519_PUBLIC_BYTES, `${WHAT} base key`),
    signedPrekeyId: message.signedPrekeyId,
    oneTimePrekeyId: message.oneTimePrekeyId ?? null,
    kemPrekeyId: message.kemPrekeyId,
    kemCiphertext: expectBytes(message.kemCiphertext, MLKEM1024_CIPHERTEXT_BYTES, `${WHAT} KEM ciphertext`),
    message: expectBytesBetween(message.message, 1, MAX_INNER_ENVELOPE_BYTES, WHAT),
  };
}
