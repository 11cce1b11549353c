import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ParleyError } from '../errors';
import {
  decodeDeliveryFrame,
  decodeSendFrame,
  encodeDeliveryFrame,
  encodeSendFrame,
  SEND_BATCH_HEADER_BYTES,
  SEND_FRAME_HEADER_BYTES,
  sendItemBytes,
} from './envelope-frame';
import { MAX_BATCH_ENVELOPES, MAX_ENVELOPE_BYTES, MAX_FRAME_BYTES } from './limits';

const address = fc.record({
  userId: fc.stringMatching(/^[A-Za-z0-9_-]{1,64}$/),
  deviceId: fc.integer({ min: 1, max: 2 ** 31 - 1 }),
});
const envelope = fc.record({ to: address, bytes: fc.uint8Array({ minLength: 1, maxLength: 300 }) });
const batch = fc.record({
  seq: fc.integer({ min: 0, max: 0xffffffff }),
  envelopes: fc.array(envelope, { minLength: 1, maxLength: 8 }),
});
const id = fc.bigInt({ min: 1n, max: 9_223_372_036_854_775_807n }).map(String);

function expectParleyError(fn: () => unknown): void {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ParleyError);
    return;
  }
  throw new Error('expected a ParleyError');
}

describe('envelope frames', () => {
  it('round-trips send frames and delivery frames', () => {
    fc.assert(
      fc.property(fc.array(batch, { minLength: 1, maxLength: 6 }), (batches) => {
        const frame = encodeSendFrame(batches);
        const items = batches.reduce(
          (n, b) => n + SEND_BATCH_HEADER_BYTES + b.envelopes.reduce((m, e) => m + sendItemBytes(e), 0),
          0,
        );
        expect(frame.length).toBe(SEND_FRAME_HEADER_BYTES + items);
        expect(decodeSendFrame(frame)).toEqual(batches);
      }),
    );
    fc.assert(
      fc.property(
        fc.array(fc.record({ id, bytes: fc.uint8Array({ minLength: 1, maxLength: 300 }) }), {
          minLength: 1,
          maxLength: 20,
        }),
        (delivered) => {
          expect(decodeDeliveryFrame(encodeDeliveryFrame(delivered))).toEqual(delivered);
        },
      ),
    );
  });

  it('decodes a recipient repeated from one envelope to the next, and still checks one that changed', () => {
    const pool = fc.constantFrom(
      { userId: 'alice', deviceId: 1 },
      { userId: 'alice', deviceId: 11 },
      { userId: 'bob', deviceId: 1 },
    );
    const repeated = fc.record({
      seq: fc.integer({ min: 0, max: 0xffffffff }),
      envelopes: fc.array(fc.record({ to: pool, bytes: fc.uint8Array({ minLength: 1, maxLength: 8 }) }), {
        minLength: 1,
        maxLength: 6,
      }),
    });
    fc.assert(
      fc.property(fc.array(repeated, { minLength: 1, maxLength: 4 }), (batches) => {
        expect(decodeSendFrame(encodeSendFrame(batches))).toEqual(batches);
      }),
    );
    const to = { userId: 'alice', deviceId: 1 };
    const frame = encodeSendFrame([
      {
        seq: 1,
        envelopes: [
          { to, bytes: new Uint8Array([1]) },
          { to, bytes: new Uint8Array([2]) },
        ],
      },
    ]);
    // The second label ('alice.1' at byte 24) made '.lice.1': same length, not an address.
    const changed = frame.slice();
    changed[24] = '.'.charCodeAt(0);
    expect(() => decodeSendFrame(changed)).toThrow(expect.objectContaining({ code: 'WIRE_MALFORMED' }));
  });

  it('refuses every truncation, extension and corruption with a ParleyError, never anything else', () => {
    fc.assert(
      fc.property(
        fc.array(batch, { minLength: 1, maxLength: 3 }),
        fc.nat(),
        fc.uint8Array({ maxLength: 8 }),
        (batches, cut, junk) => {
          const frame = encodeSendFrame(batches);
          expectParleyError(() => decodeSendFrame(frame.subarray(0, cut % frame.length)));
          const longer = new Uint8Array(frame.length + junk.length + 1);
          longer.set(frame);
          longer.set(junk, frame.length);
          expectParleyError(() => decodeSendFrame(longer));
        },
      ),
    );
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 600 }), (garbage) => {
        for (const decode of [decodeSendFrame, decodeDeliveryFrame]) {
          try {
            decode(garbage);
          } catch (error) {
            expect(error).toBeInstanceOf(ParleyError);
          }
        }
      }),
    );
  });

  it('refuses frames of another version or kind, bad addresses and ids, and oversize envelopes', () => {
    const to = { userId: 'alice', deviceId: 1 };
    const frame = encodeSendFrame([{ seq: 1, envelopes: [{ to, bytes: new Uint8Array([1]) }] }]);
    const versioned = frame.slice();
    versioned[0] = 2;
    expect(() => decodeSendFrame(versioned)).toThrow(expect.objectContaining({ code: 'WIRE_BAD_VERSION' }));
    expect(() => decodeDeliveryFrame(frame)).toThrow(expect.objectContaining({ code: 'WIRE_MALFORMED' }));
    const badAddress = frame.slice();
    badAddress[11] = '.'.charCodeAt(0);
    expect(() => decodeSendFrame(badAddress)).toThrow(expect.objectContaining({ code: 'WIRE_MALFORMED' }));
    expect(() =>
      encodeSendFrame([{ seq: 1, envelopes: [{ to, bytes: new Uint8Array(MAX_ENVELOPE_BYTES + 1) }] }]),
    ).toThrow(expect.objectContaining({ code: 'PAYLOAD_TOO_LARGE' }));
    expect(() => encodeSendFrame([{ seq: 1, envelopes: [] }])).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT' }),
    );
    expect(() =>
      encodeSendFrame([
        {
          seq: 1,
          envelopes: Array.from({ length: MAX_BATCH_ENVELOPES + 1 }, () => ({
            to,
            bytes: new Uint8Array(1),
          })),
        },
      ]),
    ).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    expect(() =>
      encodeSendFrame([
        {
          seq: 1,
          envelopes: Array.from({ length: 5 }, () => ({ to, bytes: new Uint8Array(MAX_ENVELOPE_BYTES) })),
        },
      ]),
    ).toThrow(expect.objectContaining({ code: 'PAYLOAD_TOO_LARGE' }));
    // A delivery whose id is not a canonical decimal is refused where it is read.
    expect(() => decodeDeliveryFrame(encodeDeliveryFrame([{ id: '01', bytes: new Uint8Array(1) }]))).toThrow(
      expect.objectContaining({ code: 'WIRE_MALFORMED' }),
    );
    expect(() => encodeDeliveryFrame([{ id: '', bytes: new Uint8Array(1) }])).toThrow(
      expect.objectContaining({ code: 'WIRE_MALFORMED' }),
    );
    expect(() => decodeSendFrame(new Uint8Array(MAX_FRAME_BYTES + 1))).toThrow(
      expect.objectContaining({ code: 'PAYLOAD_TOO_LARGE' }),
    );
  });
});
