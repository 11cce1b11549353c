/**
 * Checks every decoder runs before any crypto touches decoded data: the bytes parse under the
 * schema, the version is one we speak, and every field has the length and range it must have.
 * Each failure is a ParleyError with a WIRE_* code; nothing here throws anything else.
 */
import { type DescMessage, fromBinary, type MessageShape } from '@bufbuild/protobuf';
import { ParleyError } from '../errors';

/** Parses `bytes` as `schema`; any parse failure becomes WIRE_MALFORMED naming `what`. */
export function decodeProto<Desc extends DescMessage>(
  schema: Desc,
  bytes: Uint8Array,
  what: string,
  maxBytes: number,
): MessageShape<Desc> {
  if (!(bytes instanceof Uint8Array)) {
    throw new ParleyError('WIRE_MALFORMED', `The ${what} is not binary data, so it was refused.`);
  }
  if (bytes.length > maxBytes) {
    throw new ParleyError('WIRE_BAD_LENGTH', `The ${what} is larger than Parley allows, so it was refused.`);
  }
  try {
    // Unknown fields are dropped: a newer sender's additions must not round-trip unchecked.
    return fromBinary(schema, bytes, { readUnknownFields: false });
  } catch (cause) {
    throw new ParleyError('WIRE_MALFORMED', `The ${what} is damaged or malformed, so it was refused.`, {
      cause,
    });
  }
}

export function expectVersion(actual: number, expected: number, what: string): void {
  if (actual !== expected) {
    throw new ParleyError(
      'WIRE_BAD_VERSION',
      `The ${what} uses format version ${actual}, which this version of Parley cannot read. Update Parley on both devices.`,
    );
  }
}

/** A bytes field of exactly `length` bytes. */
export function expectBytes(value: Uint8Array, length: number, what: string): Uint8Array {
  if (value.length !== length) {
    throw new ParleyError('WIRE_BAD_LENGTH', `The ${what} has the wrong length, so it was refused.`);
  }
  return value;
}

/** A bytes field of `min`..`max` bytes. */
export function expectBytesBetween(value: Uint8Array, min: number, max: number, what: string): Uint8Array {
  if (value.length < min || value.length > max) {
    throw new ParleyError('WIRE_BAD_LENGTH', `The ${what} has the wrong length, so it was refused.`);
  }
  return value;
}

/** A string field of `min`..`max` UTF-8 bytes. */
export function expectStringBetween(value: string, min: number, max: number, what: string): string {
  const length = utf8Length(value);
  if (length < min || length > max) {
    throw new ParleyError('WIRE_BAD_LENGTH', `The ${what} has the wrong length, so it was refused.`);
  }
  return value;
}

/** A uint64 field that must fit a JavaScript number. */
export function expectSafeInteger(value: bigint, what: string): number {
  if (value < 0n || value > BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new ParleyError('WIRE_MALFORMED', `The ${what} is out of range, so it was refused.`);
  }
  return Number(value);
}

/** The encoded length of a JavaScript string in UTF-8, without an encoder (shared has no DOM). */
export function utf8Length(value: string): number {
  let length = 0;
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (code < 0x80) length += 1;
    else if (code < 0x800) length += 2;
    else if (code >= 0xd800 && code <= 0xdbff && i + 1 < value.length) {
      const next = value.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        length += 4;
        i++;
      } else length += 3;
    } else length += 3;
  }
  return length;
}
