import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { base64urlLength, fromBase64url, toBase64url } from './base64url';

describe('base64url', () => {
  it('matches RFC 4648 test vectors (§10, url-safe alphabet, no padding)', () => {
    const ascii = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));
    const vectors: [string, string][] = [
      ['', ''],
      ['f', 'Zg'],
      ['fo', 'Zm8'],
      ['foo', 'Zm9v'],
      ['foob', 'Zm9vYg'],
      ['fooba', 'Zm9vYmE'],
      ['foobar', 'Zm9vYmFy'],
    ];
    for (const [plain, encoded] of vectors) {
      expect(toBase64url(ascii(plain))).toBe(encoded);
      expect(fromBase64url(encoded)).toEqual(ascii(plain));
    }
    expect(toBase64url(new Uint8Array([0xfb, 0xff]))).toBe('-_8');
  });

  it('round-trips any bytes and predicts the text length', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
        const text = toBase64url(bytes);
        expect(text).toHaveLength(base64urlLength(bytes.length));
        expect(fromBase64url(text)).toEqual(bytes);
      }),
    );
  });

  it('refuses text that is not canonical base64url', () => {
    for (const bad of ['A', 'Zm9v=', 'Zm+v', 'Zm/v', 'Zm9v YQ', 'Zh', 'Zm9vYh', 'é']) {
      expect(fromBase64url(bad)).toBeNull();
    }
  });
});
