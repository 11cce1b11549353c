import { describe, expect, it } from 'vitest';
import { bytesToBase64, bytesToBase64Portable } from './base64';

const ascii = (text: string) => Uint8Array.from(text, (c) => c.charCodeAt(0));

describe('bytesToBase64', () => {
  it('gives the RFC 4648 section 10 test vectors', () => {
    const vectors: [string, string][] = [
      ['', ''],
      ['f', 'Zg=='],
      ['fo', 'Zm8='],
      ['foo', 'Zm9v'],
      ['foob', 'Zm9vYg=='],
      ['fooba', 'Zm9vYmE='],
      ['foobar', 'Zm9vYmFy'],
    ];
    for (const [input, output] of vectors) {
      expect(bytesToBase64(ascii(input))).toBe(output);
      expect(bytesToBase64Portable(ascii(input))).toBe(output);
    }
  });

  it('round-trips every byte value across the slice edges and a whole 256 KiB piece', () => {
    for (const length of [255, 256, 0x7fff, 0x8000, 0x8001, 256 * 1024]) {
      const bytes = new Uint8Array(length);
      for (let i = 0; i < length; i++) bytes[i] = (i * 131 + 7) & 0xff;
      for (const encode of [bytesToBase64, bytesToBase64Portable]) {
        const decoded = atob(encode(bytes));
        expect(decoded.length).toBe(length);
        // One comparison for the whole piece (expect per byte would take seconds).
        let differing = 0;
        for (let i = 0; i < length; i++) if (decoded.charCodeAt(i) !== bytes[i]) differing++;
        expect(differing).toBe(0);
      }
    }
  });
});
