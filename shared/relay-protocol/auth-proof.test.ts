import { describe, expect, it } from 'vitest';
import { AUTH_PROOF_CONTEXT, encodeAuthProof } from './auth-proof';

describe('authentication proof message', () => {
  it('lays out context, relay id, nonce and time exactly as agreed', () => {
    const nonce = Uint8Array.from({ length: 32 }, (_, i) => i);
    const time = 0x0123_4567_89ab; // a 48-bit time checks both halves of the u64
    const message = encodeAuthProof({ nonce, relayId: 'relay-1', time });
    const context = Uint8Array.from(AUTH_PROOF_CONTEXT, (c) => c.charCodeAt(0));
    const expected = [
      ...context,
      0,
      7,
      ...Uint8Array.from('relay-1', (c) => c.charCodeAt(0)),
      ...nonce,
      0x00,
      0x00,
      0x01,
      0x23,
      0x45,
      0x67,
      0x89,
      0xab,
    ];
    expect([...message]).toEqual(expected);
  });

  it('differs for every field, so a proof fits one relay, one nonce and one time only', () => {
    const base = { nonce: new Uint8Array(32), relayId: 'a', time: 1 };
    const one = encodeAuthProof(base);
    expect(encodeAuthProof({ ...base, relayId: 'b' })).not.toEqual(one);
    expect(encodeAuthProof({ ...base, nonce: new Uint8Array(32).fill(1) })).not.toEqual(one);
    expect(encodeAuthProof({ ...base, time: 2 })).not.toEqual(one);
  });

  it('refuses a nonce of the wrong size, a relay id that is not plain ASCII, and a bad time', () => {
    expect(() => encodeAuthProof({ nonce: new Uint8Array(31), relayId: 'a', time: 1 })).toThrow(
      expect.objectContaining({ code: 'WIRE_BAD_LENGTH' }),
    );
    expect(() => encodeAuthProof({ nonce: new Uint8Array(32), relayId: 'rélai', time: 1 })).toThrow(
      expect.objectContaining({ code: 'WIRE_MALFORMED' }),
    );
    expect(() => encodeAuthProof({ nonce: new Uint8Array(32), relayId: 'a', time: -1 })).toThrow(
      expect.objectContaining({ code: 'WIRE_MALFORMED' }),
    );
  });
});
