/** HKDF-SHA256 against RFC 5869 Appendix A (test cases 1-3), PRK and OKM. */
import { beforeAll, describe, expect, it } from 'vitest';
import { hkdfExpand, hkdfExtract, hkdfSha256 } from './hkdf';
import { loadSodium, type Sodium } from './sodium';

let sodium: Sodium;
beforeAll(async () => {
  sodium = await loadSodium();
});

const hex = (text: string) => Uint8Array.from(Buffer.from(text, 'hex'));
const range = (from: number, to: number) => Uint8Array.from({ length: to - from + 1 }, (_, i) => from + i);

const cases = [
  {
    name: 'A.1 basic',
    ikm: new Uint8Array(22).fill(0x0b),
    salt: range(0x00, 0x0c),
    info: range(0xf0, 0xf9),
    length: 42,
    prk: '077709362c2e32df0ddc3f0dc47bba6390b6c73bb50f9c3122ec844ad7c2b3e5',
    okm: '3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865',
  },
  {
    name: 'A.2 longer inputs and outputs',
    ikm: range(0x00, 0x4f),
    salt: range(0x60, 0xaf),
    info: range(0xb0, 0xff),
    length: 82,
    prk: '06a6b88c5853361a06104c9ceb35b45cef760014904671014a193f40c15fc244',
    okm:
      'b11e398dc80327a1c8e7f78c596a49344f012eda2d4efad8a050cc4c19afa97c59045a99cac7827271cb41c65e590e09' +
      'da3275600c2f09b8367793a9aca3db71cc30c58179ec3e87c14c01d5c1f3434f1d87',
  },
  {
    name: 'A.3 zero-length salt and info',
    ikm: new Uint8Array(22).fill(0x0b),
    salt: new Uint8Array(0),
    info: new Uint8Array(0),
    length: 42,
    prk: '19ef24a32c717b167f33a91d6f648bdf96596776afdb6377ac434c1c293ccb04',
    okm: '8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8',
  },
];

describe('HKDF-SHA256 (RFC 5869)', () => {
  it.each(cases)('$name', ({ ikm, salt, info, length, prk, okm }) => {
    const extracted = hkdfExtract(sodium, salt, ikm);
    expect(Buffer.from(extracted).toString('hex')).toBe(prk);
    expect(Buffer.from(hkdfExpand(sodium, extracted, info, length)).toString('hex')).toBe(okm);
    expect(Buffer.from(hkdfSha256(sodium, ikm, salt, info, length)).toString('hex')).toBe(okm);
  });

  it('takes a 32-byte salt through the one-shot HMAC and agrees with the streaming one', () => {
    const salt = hex('00'.repeat(31) + '01');
    const ikm = hex('ab'.repeat(40));
    const oneShot = hkdfExtract(sodium, salt, ikm);
    const state = sodium.crypto_auth_hmacsha256_init(salt);
    sodium.crypto_auth_hmacsha256_update(state, ikm);
    expect(oneShot).toEqual(sodium.crypto_auth_hmacsha256_final(state));
  });

  it('refuses output lengths beyond 255 blocks', () => {
    expect(() => hkdfExpand(sodium, new Uint8Array(32), new Uint8Array(0), 255 * 32 + 1)).toThrow(RangeError);
    expect(hkdfExpand(sodium, new Uint8Array(32), new Uint8Array(0), 255 * 32)).toHaveLength(255 * 32);
  });
});
