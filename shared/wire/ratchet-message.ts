/**
 * The Double Ratchet message (Double Ratchet §3.4): header (ratchet key, PN, N) and ciphertext.
 * Schema: proto/parley/wire/v1/session_message.proto (RatchetMessage).
 *
 * Every message goes through here twice, so the codec is written out by hand for this one
 * schema instead of going through @bufbuild/protobuf's reflection (which costs ~2 µs per message
 * pair, as much as the AEAD itself). It emits exactly the bytes the generated code emits and
 * accepts a subset of what it accepts; ratchet-message.test.ts checks both against the schema.
 */
import { ParleyError } from '../errors';
import { X25519_PUBLIC_BYTES } from '../prekeys';
import { MAX_INNER_ENVELOPE_BYTES } from './envelope-size';
import { expectBytes, expectBytesBetween, expectVersion } from './wire-checks';

export const RATCHET_MESSAGE_VERSION = 1;
/** XChaCha20-Poly1305 tag length: the shortest possible ciphertext. */
export const RATCHET_TAG_BYTES = 16;

export interface RatchetMessage {
  readonly ratchetKey: Uint8Array;
  readonly previousCounter: number;
  readonly counter: number;
  readonly ciphertext: Uint8Array;
}

const WHAT = 'encrypted message';
// Protobuf tags: field number << 3 | wire type (0 varint, 2 length-delimited).
const TAG_VERSION = (1 << 3) | 0;
const TAG_RATCHET_KEY = (2 << 3) | 2;
const TAG_PREVIOUS_COUNTER = (3 << 3) | 0;
const TAG_COUNTER = (4 << 3) | 0;
const TAG_CIPHERTEXT = (5 << 3) | 2;

export function encodeRatchetMessage(message: RatchetMessage): Uint8Array {
  const { ratchetKey, previousCounter, counter, ciphertext } = message;
  expectBytes(ratchetKey, X25519_PUBLIC_BYTES, `${WHAT} ratchet key`);
  checkUint32(previousCounter);
  checkUint32(counter);
  const size =
    2 +
    2 +
    X25519_PUBLIC_BYTES +
    (previousCounter === 0 ? 0 : 1 + varintSize(previousCounter)) +
    (counter === 0 ? 0 : 1 + varintSize(counter)) +
    (ciphertext.length === 0 ? 0 : 1 + varintSize(ciphertext.length) + ciphertext.length);
  const out = new Uint8Array(size);
  let at = 0;
  out[at++] = TAG_VERSION;
  out[at++] = RATCHET_MESSAGE_VERSION;
  out[at++] = TAG_RATCHET_KEY;
  out[at++] = X25519_PUBLIC_BYTES;
  out.set(ratchetKey, at);
  at += X25519_PUBLIC_BYTES;
  if (previousCounter !== 0) {
    out[at++] = TAG_PREVIOUS_COUNTER;
    at = writeVarint(out, at, previousCounter);
  }
  if (counter !== 0) {
    out[at++] = TAG_COUNTER;
    at = writeVarint(out, at, counter);
  }
  if (ciphertext.length !== 0) {
    out[at++] = TAG_CIPHERTEXT;
    at = writeVarint(out, at, ciphertext.length);
    out.set(ciphertext, at);
  }
  return out;
}

export function decodeRatchetMessage(bytes: Uint8Array): RatchetMessage {
  if (!(bytes instanceof Uint8Array)) throw malformed();
  if (bytes.length > MAX_INNER_ENVELOPE_BYTES) {
    throw new ParleyError('WIRE_BAD_LENGTH', `The ${WHAT} is larger than Parley allows, so it was refused.`);
  }
  let version = 0;
  let ratchetKey: Uint8Array = EMPTY;
  let previousCounter = 0;
  let counter = 0;
  let ciphertext: Uint8Array = EMPTY;
  const reader = { at: 0 };
  while (reader.at < bytes.length) {
    const tag = readVarint(bytes, reader);
    switch (tag) {
      case TAG_VERSION:
        version = readVarint(bytes, reader);
        break;
      case TAG_RATCHET_KEY:
        ratchetKey = readBytes(bytes, reader);
        break;
      case TAG_PREVIOUS_COUNTER:
        previousCounter = readVarint(bytes, reader);
        break;
      case TAG_COUNTER:
        counter = readVarint(bytes, reader);
        break;
      case TAG_CIPHERTEXT:
        ciphertext = readBytes(bytes, reader);
        break;
      default:
        skipField(bytes, reader, tag);
    }
  }
  expectVersion(version, RATCHET_MESSAGE_VERSION, WHAT);
  return {
    ratchetKey: expectBytes(ratchetKey, X25519_PUBLIC_BYTES, `${WHAT} ratchet key`),
    previousCounter,
    counter,
    ciphertext: expectBytesBetween(ciphertext, RATCHET_TAG_BYTES, MAX_INNER_ENVELOPE_BYTES, WHAT),
  };
}

const EMPTY = new Uint8Array(0);

function checkUint32(value: number): void {
  if (!Number.isInteger(value) || value < 0 || value > 0xffffffff) {
    throw new ParleyError('INVALID_ARGUMENT', 'A message counter must be a 32-bit unsigned integer.');
  }
}

function varintSize(value: number): number {
  let size = 1;
  while (value >= 0x80) {
    value = Math.floor(value / 128);
    size++;
  }
  return size;
}

function writeVarint(out: Uint8Array, at: number, value: number): number {
  while (value >= 0x80) {
    out[at++] = (value & 0x7f) | 0x80;
    value = Math.floor(value / 128);
  }
  out[at++] = value;
  return at;
}

/** A varint of at most 32 bits (5 bytes); anything longer or larger is refused. */
function readVarint(bytes: Uint8Array, reader: { at: number }): number {
  let value = 0;
  for (let i = 0; i < 5; i++) {
    if (reader.at >= bytes.length) throw malformed();
    const byte = bytes[reader.at++]!;
    value += (byte & 0x7f) * 2 ** (7 * i);
    if ((byte & 0x80) === 0) {
      if (value > 0xffffffff) throw malformed();
      return value;
    }
  }
  throw malformed();
}

function readBytes(bytes: Uint8Array, reader: { at: number }): Uint8Array {
  const length = readVarint(bytes, reader);
  const end = reader.at + length;
  if (end > bytes.length) throw malformed();
  const out = bytes.subarray(reader.at, end);
  reader.at = end;
  return out;
}

/** Skips a field of a newer schema version by its wire type; groups and bad types are refused. */
function skipField(bytes: Uint8Array, reader: { at: number }, tag: number): void {
  if (tag >>> 3 === 0) throw malformed();
  switch (tag & 7) {
    case 0:
      readLongVarint(bytes, reader);
      return;
    case 1:
      advance(reader, bytes, 8);
      return;
    case 2:
      readBytes(bytes, reader);
      return;
    case 5:
      advance(reader, bytes, 4);
      return;
    default:
      throw malformed();
  }
}

function readLongVarint(bytes: Uint8Array, reader: { at: number }): void {
  for (let i = 0; i < 10; i++) {
    if (reader.at >= bytes.length) throw malformed();
    if ((bytes[reader.at++]! & 0x80) === 0) return;
  }
  throw malformed();
}

function advance(reader: { at: number }, bytes: Uint8Array, length: number): void {
  if (reader.at + length > bytes.length) throw malformed();
  reader.at += length;
}

function malformed(): ParleyError {
  return new ParleyError('WIRE_MALFORMED', `The ${WHAT} is damaged or malformed, so it was refused.`);
}
