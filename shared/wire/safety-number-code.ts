/**
 * The payload of a safety-number QR code, after Signal's scannable fingerprint
 * (CombinedFingerprints): a version and the two 32-byte fingerprint hashes, from the point of
 * view of the device that shows it. Text form (for pasting): `parley-sn:` + base64url.
 * Schema: proto/parley/wire/v1/safety_number.proto.
 */
import { create, toBinary } from '@bufbuild/protobuf';
import { base64Decode, base64Encode } from '@bufbuild/protobuf/wire';
import { ParleyError } from '../errors';
import { SafetyNumberCodeSchema } from './gen/parley/wire/v1/safety_number_pb';
import { decodeProto, expectBytes, expectVersion } from './wire-checks';

export const SAFETY_NUMBER_CODE_VERSION = 1;
export const SAFETY_NUMBER_FINGERPRINT_BYTES = 32;
export const SAFETY_NUMBER_TEXT_PREFIX = 'parley-sn:';

export interface SafetyNumberCode {
  /** The showing device's own fingerprint hash (first 32 bytes). */
  readonly localFingerprint: Uint8Array;
  /** Its peer's fingerprint hash, as the showing device computed it. */
  readonly remoteFingerprint: Uint8Array;
}

const WHAT = 'safety number code';
const MAX_CODE_BYTES = 128;
const BASE64URL = /^[A-Za-z0-9_-]+$/;

export function encodeSafetyNumberCode(code: SafetyNumberCode): Uint8Array {
  return toBinary(
    SafetyNumberCodeSchema,
    create(SafetyNumberCodeSchema, {
      version: SAFETY_NUMBER_CODE_VERSION,
      localFingerprint: expectBytes(code.localFingerprint, SAFETY_NUMBER_FINGERPRINT_BYTES, WHAT),
      remoteFingerprint: expectBytes(code.remoteFingerprint, SAFETY_NUMBER_FINGERPRINT_BYTES, WHAT),
    }),
  );
}

export function decodeSafetyNumberCode(bytes: Uint8Array): SafetyNumberCode {
  const message = decodeProto(SafetyNumberCodeSchema, bytes, WHAT, MAX_CODE_BYTES);
  expectVersion(message.version, SAFETY_NUMBER_CODE_VERSION, WHAT);
  return {
    localFingerprint: expectBytes(message.localFingerprint, SAFETY_NUMBER_FINGERPRINT_BYTES, WHAT),
    remoteFingerprint: expectBytes(message.remoteFingerprint, SAFETY_NUMBER_FINGERPRINT_BYTES, WHAT),
  };
}

/** The text a user can copy and paste instead of scanning. */
export function safetyNumberCodeToText(code: SafetyNumberCode): string {
  return SAFETY_NUMBER_TEXT_PREFIX + base64Encode(encodeSafetyNumberCode(code), 'url');
}

export function safetyNumberCodeFromText(text: string): SafetyNumberCode {
  const trimmed = text.trim();
  const payload = trimmed.slice(SAFETY_NUMBER_TEXT_PREFIX.length);
  if (!trimmed.startsWith(SAFETY_NUMBER_TEXT_PREFIX) || !BASE64URL.test(payload) || payload.length > 200) {
    throw new ParleyError(
      'WIRE_MALFORMED',
      'That is not a Parley safety number code. Copy it again from the other device.',
    );
  }
  return decodeSafetyNumberCode(base64Decode(payload));
}
