import { describe, expect, it } from 'vitest';
import { decodeStrictBase64 } from './strict-base64';

describe('strict base64', () => {
  it('decodes what the renderer encodes', () => {
    for (const size of [0, 1, 2, 3, 4, 1000]) {
      const bytes = Buffer.alloc(size, 0xab);
      expect(decodeStrictBase64(bytes.toString('base64')).equals(bytes)).toBe(true);
    }
  });

  it('refuses anything with characters outside the alphabet or in the wrong places', () => {
    for (const text of ['AAA*', 'AA A', 'A===', '=AAA', 'AAAAA', 'AA\nA', 'AA=A']) {
      expect(() => decodeStrictBase64(text), JSON.stringify(text)).toThrow(
        expect.objectContaining({ code: 'INVALID_ARGUMENT' }),
      );
    }
  });
});
