/** KDF_CK's shared-key-schedule HMAC pair must equal two ordinary libsodium HMACs, bit for bit. */
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { directHmacPair, hmacPairFor, wrapperHmacPair } from './chain-kdf';
import { loadSodium, type Sodium } from './sodium';

let sodium: Sodium;
beforeAll(async () => {
  sodium = await loadSodium();
});

describe('HMAC pair for KDF_CK', () => {
  it('uses the direct path with this libsodium build', () => {
    expect(directHmacPair(sodium)).toBeTypeOf('function');
    expect(hmacPairFor(sodium)).toBe(hmacPairFor(sodium));
  });

  it('equals crypto_auth_hmacsha256 for any key and constants', () => {
    const direct = directHmacPair(sodium)!;
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), fc.nat(255), fc.nat(255), (key, a, b) => {
        const [first, second] = direct(key, a, b);
        expect(first).toEqual(sodium.crypto_auth_hmacsha256(Uint8Array.of(a), key));
        expect(second).toEqual(sodium.crypto_auth_hmacsha256(Uint8Array.of(b), key));
      }),
      { numRuns: 200 },
    );
  });

  it('falls back to the wrapper where the module exports are missing, with the same result', () => {
    const bare = { crypto_auth_hmacsha256: sodium.crypto_auth_hmacsha256 } as unknown as Sodium;
    expect(directHmacPair(bare)).toBeUndefined();
    const key = sodium.randombytes_buf(32);
    expect(hmacPairFor(bare)(key, 1, 2)).toEqual(wrapperHmacPair(sodium)(key, 1, 2));
    expect(hmacPairFor(bare)(key, 1, 2)).toEqual(directHmacPair(sodium)!(key, 1, 2));
  });

  it('leaves no key material in its WebAssembly buffer', () => {
    const key = new Uint8Array(32).fill(0xa5);
    directHmacPair(sodium)!(key, 1, 2);
    const heap = (sodium as unknown as { libsodium: { HEAPU8: Uint8Array } }).libsodium.HEAPU8;
    const pattern = Buffer.from(key);
    expect(Buffer.from(heap.buffer, heap.byteOffset, heap.byteLength).indexOf(pattern)).toBe(-1);
  });
});
