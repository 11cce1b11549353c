/** The hand-written RatchetMessage codec must agree with the schema's generated code. */
import { create, fromBinary, toBinary } from '@bufbuild/protobuf';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ParleyError } from '../errors';
import { RatchetMessageSchema } from './gen/parley/wire/v1/session_message_pb';
import { decodeRatchetMessage, encodeRatchetMessage, type RatchetMessage } from './ratchet-message';

const message = fc.record({
  ratchetKey: fc.uint8Array({ minLength: 32, maxLength: 32 }),
  previousCounter: fc.oneof(fc.constant(0), fc.nat(0xffffffff)),
  counter: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 300 }), fc.nat(0xffffffff)),
  ciphertext: fc.uint8Array({ minLength: 16, maxLength: 400 }),
});

function generated(m: RatchetMessage): Uint8Array {
  return toBinary(RatchetMessageSchema, create(RatchetMessageSchema, { version: 1, ...m }));
}

describe('RatchetMessage codec', () => {
  it('encodes exactly the bytes the generated code encodes, and decodes them back', () => {
    fc.assert(
      fc.property(message, (m) => {
        const bytes = encodeRatchetMessage(m);
        expect(bytes).toEqual(generated(m));
        expect(decodeRatchetMessage(bytes)).toEqual(m);
      }),
    );
  });

  it('decodes what the generated code decodes, including unknown fields and any field order', () => {
    fc.assert(
      fc.property(message, fc.uint8Array({ maxLength: 20 }), (m, extra) => {
        // An unknown length-delimited field 15 first, then the known fields.
        const unknown = Uint8Array.of((15 << 3) | 2, extra.length, ...extra);
        const bytes = new Uint8Array([...unknown, ...generated(m)]);
        const theirs = fromBinary(RatchetMessageSchema, bytes, { readUnknownFields: false });
        const ours = decodeRatchetMessage(bytes);
        expect(ours).toEqual({
          ratchetKey: theirs.ratchetKey,
          previousCounter: theirs.previousCounter,
          counter: theirs.counter,
          ciphertext: theirs.ciphertext,
        });
      }),
    );
  });

  it('never throws anything but a ParleyError, and agrees with the schema whenever it accepts', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 120 }), (bytes) => {
        let ours: RatchetMessage | undefined;
        try {
          ours = decodeRatchetMessage(bytes);
        } catch (error) {
          expect(error).toBeInstanceOf(ParleyError);
          return;
        }
        const theirs = fromBinary(RatchetMessageSchema, bytes);
        expect(theirs.version).toBe(1);
        expect(ours.ratchetKey).toEqual(theirs.ratchetKey);
        expect(ours.counter).toBe(theirs.counter);
      }),
      { numRuns: 2000 },
    );
  });

  it('refuses a wrong version, a short key, a missing tag and a cut-off message', () => {
    const m = {
      ratchetKey: new Uint8Array(32),
      previousCounter: 1,
      counter: 2,
      ciphertext: new Uint8Array(16),
    };
    const codeOf = (bytes: Uint8Array) => {
      try {
        decodeRatchetMessage(bytes);
      } catch (error) {
        return (error as ParleyError).code;
      }
      return 'accepted';
    };
    const bytes = encodeRatchetMessage(m);
    expect(codeOf(Uint8Array.of(0x08, 0x02, ...bytes.subarray(2)))).toBe('WIRE_BAD_VERSION');
    expect(codeOf(generated({ ...m, ratchetKey: new Uint8Array(31) }))).toBe('WIRE_BAD_LENGTH');
    expect(codeOf(generated({ ...m, ciphertext: new Uint8Array(15) }))).toBe('WIRE_BAD_LENGTH');
    expect(codeOf(bytes.subarray(0, bytes.length - 1))).toBe('WIRE_MALFORMED');
    expect(codeOf(Uint8Array.of(0x0b))).toBe('WIRE_MALFORMED'); // a group: not in our schemas
  });
});
