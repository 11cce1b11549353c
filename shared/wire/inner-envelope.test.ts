/** Inner envelope and prekey message codecs: round trips and field checks. */
import { describe, expect, it } from 'vitest';
import { ParleyError } from '../errors';
import {
  isSealedEnvelopeSize,
  paddedInnerSize,
  SEALED_BOX_OVERHEAD,
  SEALED_ENVELOPE_SIZES,
} from './envelope-size';
import { decodeInnerEnvelope, encodeInnerEnvelope, type InnerEnvelope } from './inner-envelope';
import { isMessageId, messageIdFromString, messageIdToString } from './message-id';
import { decodePrekeyMessage, encodePrekeyMessage, type PrekeyMessage } from './prekey-message';
import { utf8Length } from './wire-checks';

const envelope: InnerEnvelope = {
  sender: 'alice_-x.42',
  kind: 'prekey',
  body: new Uint8Array([1, 2, 3]),
  timestamp: 1_700_000_000_000,
  messageId: new Uint8Array(16).fill(9),
};

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ParleyError);
    return (error as ParleyError).code;
  }
  throw new Error('expected a ParleyError');
}

describe('inner envelope', () => {
  it('round-trips both kinds', () => {
    expect(decodeInnerEnvelope(encodeInnerEnvelope(envelope))).toEqual(envelope);
    const ratchet = { ...envelope, kind: 'ratchet' as const };
    expect(decodeInnerEnvelope(encodeInnerEnvelope(ratchet))).toEqual(ratchet);
  });

  it('refuses bad senders, ids, bodies and times', () => {
    for (const sender of ['alice', 'alice.0', 'alice.01', '.1', 'a b.1', 'alice.1.2x']) {
      expect(codeOf(() => encodeInnerEnvelope({ ...envelope, sender }))).toBe('WIRE_MALFORMED');
    }
    expect(codeOf(() => encodeInnerEnvelope({ ...envelope, messageId: new Uint8Array(15) }))).toBe(
      'WIRE_BAD_LENGTH',
    );
    expect(codeOf(() => encodeInnerEnvelope({ ...envelope, body: new Uint8Array(0) }))).toBe(
      'WIRE_BAD_LENGTH',
    );
    expect(codeOf(() => encodeInnerEnvelope({ ...envelope, timestamp: -1 }))).toBe('WIRE_MALFORMED');
    expect(codeOf(() => decodeInnerEnvelope(Uint8Array.of(0x08, 0x01)))).toBe('WIRE_MALFORMED');
  });
});

describe('prekey message', () => {
  const message: PrekeyMessage = {
    identityKey: new Uint8Array(32).fill(1),
    baseKey: new Uint8Array(32).fill(2),
    signedPrekeyId: 7,
    oneTimePrekeyId: null,
    kemPrekeyId: 0,
    kemCiphertext: new Uint8Array(1568).fill(3),
    message: new Uint8Array([4]),
  };

  it('round-trips with and without a one-time prekey id (0 is a valid id)', () => {
    expect(decodePrekeyMessage(encodePrekeyMessage(message))).toEqual(message);
    const withId = { ...message, oneTimePrekeyId: 0 };
    expect(decodePrekeyMessage(encodePrekeyMessage(withId))).toEqual(withId);
  });

  it('refuses a short KEM ciphertext or key', () => {
    expect(
      codeOf(() =>
        decodePrekeyMessage(encodePrekeyMessage({ ...message, kemCiphertext: new Uint8Array(1567) })),
      ),
    ).toBe('WIRE_BAD_LENGTH');
    expect(
      codeOf(() => decodePrekeyMessage(encodePrekeyMessage({ ...message, baseKey: new Uint8Array(33) }))),
    ).toBe('WIRE_BAD_LENGTH');
  });
});

describe('envelope sizes, message ids and UTF-8 lengths', () => {
  it('maps every length to the smallest bucket, and nothing past the largest', () => {
    expect(paddedInnerSize(0)).toBe(SEALED_ENVELOPE_SIZES[0]! - SEALED_BOX_OVERHEAD);
    const largest = SEALED_ENVELOPE_SIZES[SEALED_ENVELOPE_SIZES.length - 1]! - SEALED_BOX_OVERHEAD;
    expect(paddedInnerSize(largest - 1)).toBe(largest);
    expect(paddedInnerSize(largest)).toBeUndefined();
    expect(isSealedEnvelopeSize(4096)).toBe(true);
    expect(isSealedEnvelopeSize(4095)).toBe(false);
  });

  it('converts message ids to hex and back', () => {
    const id = Uint8Array.from({ length: 16 }, (_, i) => i * 16 + 1);
    expect(messageIdToString(id)).toBe('01112131415161718191a1b1c1d1e1f1');
    expect(messageIdFromString(messageIdToString(id))).toEqual(id);
    expect(isMessageId(new Uint8Array(16))).toBe(true);
    expect(() => messageIdFromString('xyz')).toThrow(ParleyError);
  });

  it('counts UTF-8 bytes as TextEncoder does', () => {
    for (const text of ['', 'abc', 'é', '€', '👋', 'a\uD800b', '\uDC00', 'mixed é€👋 text']) {
      expect(utf8Length(text)).toBe(new TextEncoder().encode(text).length);
    }
  });
});
