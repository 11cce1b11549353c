/**
 * Every decoder in shared/wire, fed random bytes or a valid encoding with bytes flipped, cut
 * or appended, returns a value or throws a ParleyError: never another error, never a crash.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ParleyError } from '../errors';
import { decodeContent, encodeContent } from './content';
import { decodeInnerEnvelope, encodeInnerEnvelope } from './inner-envelope';
import { decodePrekeyMessage, encodePrekeyMessage } from './prekey-message';
import { decodeRatchetMessage, encodeRatchetMessage } from './ratchet-message';
import {
  decodeSafetyNumberCode,
  encodeSafetyNumberCode,
  safetyNumberCodeFromText,
} from './safety-number-code';

const fill = (length: number, value: number) => new Uint8Array(length).fill(value);
const ratchet = encodeRatchetMessage({
  ratchetKey: fill(32, 1),
  previousCounter: 3,
  counter: 9,
  ciphertext: fill(40, 2),
});

const decoders: readonly [string, (bytes: Uint8Array) => unknown, Uint8Array][] = [
  [
    'content',
    decodeContent,
    encodeContent({
      type: 'text',
      text: 'hello',
      attachment: {
        key: fill(32, 1),
        ciphertextHash: fill(32, 2),
        size: 10,
        fileName: 'a.txt',
        mimeType: 'text/plain',
        blobId: 'blob1',
        capabilityToken: 'token',
        thumbnail: null,
      },
    }),
  ],
  [
    'inner envelope',
    decodeInnerEnvelope,
    encodeInnerEnvelope({
      sender: 'alice.1',
      kind: 'ratchet',
      body: ratchet,
      timestamp: 5,
      messageId: fill(16, 3),
    }),
  ],
  [
    'prekey message',
    decodePrekeyMessage,
    encodePrekeyMessage({
      identityKey: fill(32, 4),
      baseKey: fill(32, 5),
      signedPrekeyId: 1,
      oneTimePrekeyId: 2,
      kemPrekeyId: 3,
      kemCiphertext: fill(1568, 6),
      message: ratchet,
    }),
  ],
  ['ratchet message', decodeRatchetMessage, ratchet],
  [
    'safety number code',
    decodeSafetyNumberCode,
    encodeSafetyNumberCode({ localFingerprint: fill(32, 7), remoteFingerprint: fill(32, 8) }),
  ],
];

function onlyTypedErrors(decode: (bytes: Uint8Array) => unknown, bytes: Uint8Array): void {
  try {
    decode(bytes);
  } catch (error) {
    if (!(error instanceof ParleyError)) throw error;
    expect(error.code).toMatch(/^(WIRE_|INVALID_ARGUMENT$)/);
  }
}

describe('decoders on hostile input', () => {
  it.each(decoders)('%s: random bytes', (_name, decode) => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => onlyTypedErrors(decode, bytes)),
      { numRuns: 500 },
    );
  });

  it.each(decoders)('%s: a valid encoding, flipped, cut or extended', (_name, decode, valid) => {
    expect(() => decode(valid)).not.toThrow();
    fc.assert(
      fc.property(
        fc.nat(),
        fc.integer({ min: 1, max: 255 }),
        fc.nat(),
        fc.uint8Array({ maxLength: 8 }),
        (at, mask, cut, tail) => {
          const flipped = valid.slice();
          flipped[at % flipped.length]! ^= mask;
          onlyTypedErrors(decode, flipped);
          onlyTypedErrors(decode, valid.subarray(0, cut % valid.length));
          onlyTypedErrors(decode, new Uint8Array([...valid, ...tail]));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('refuses non-binary input and pasted text that is not a code', () => {
    for (const [, decode] of decoders) {
      expect(() => decode('text' as unknown as Uint8Array)).toThrow(ParleyError);
    }
    for (const text of ['', 'parley-sn:', 'parley-sn:!!!', 'hello', `parley-sn:${'A'.repeat(500)}`]) {
      expect(() => safetyNumberCodeFromText(text)).toThrow(ParleyError);
    }
  });
});
