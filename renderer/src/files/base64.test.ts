import { describe, expect, it } from 'vitest';
import { bytesToBase64 } from './base64';

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
    for (const [input, output] of vectors) expect(bytesToBase64(ascii(input))).toBe(output);
  });

  it('round-trips every byte value across the slice edges and a whole 256 KiB piece', () => {
    for (const length of [255, 256, 0x7fff, 0x8000, 0x8001, 256 * 1024]) {
      const bytes = new Uint8Array(length);
      for (let i = 0; i < length; i++) bytes[i] = (i * 131 + 7) & 0xff;
      const decoded = Uint8Array.from(atob(bytesToBase64(bytes)), (c) => c.charCodeAt(0));
      expect(decoded).toEqual(bytes);
    }
  });
});
