/** The direct AEAD path must produce exactly what libsodium's wrapper produces, and refuse what it refuses. */
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { DirectAead, messageAeadFor, wrapperAead } from './message-aead';
import { loadSodium, type Sodium } from './sodium';
import { sodiumModule } from './sodium-module';

let sodium: Sodium;
beforeAll(async () => {
  sodium = await loadSodium();
});

const bytes = (min: number, max: number) => fc.uint8Array({ minLength: min, maxLength: max });

describe('message AEAD', () => {
  it('uses the direct path with this libsodium build', () => {
    expect(messageAeadFor(sodium)).toBeInstanceOf(DirectAead);
  });

  it('encrypts exactly as crypto_aead_xchacha20poly1305_ietf_encrypt, AD given in parts', () => {
    const direct = new DirectAead(sodiumModule(sodium)!);
    const wrapper = wrapperAead(sodium);
    fc.assert(
      fc.property(
        bytes(0, 9000),
        fc.array(bytes(0, 200), { maxLength: 4 }),
        bytes(24, 24),
        bytes(32, 32),
        (plaintext, ad, nonce, key) => {
          const ours = direct.encrypt(plaintext, ad, nonce, key);
          const joined = Buffer.concat(ad);
          expect(ours).toEqual(
            sodium.crypto_aead_xchacha20poly1305_ietf_encrypt(plaintext, joined, null, nonce, key),
          );
          expect(wrapper.encrypt(plaintext, ad, nonce, key)).toEqual(ours);
          expect(direct.decrypt(ours, ad, nonce, key)).toEqual(plaintext);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('refuses any flipped bit, a wrong key, other AD and a short input, as the wrapper does', () => {
    const direct = new DirectAead(sodiumModule(sodium)!);
    const wrapper = wrapperAead(sodium);
    const key = sodium.randombytes_buf(32);
    const nonce = sodium.randombytes_buf(24);
    const ad = [new Uint8Array([1, 2, 3])];
    const sealed = direct.encrypt(new Uint8Array(50).fill(7), ad, nonce, key);
    for (let bit = 0; bit < sealed.length * 8; bit += 13) {
      const altered = sealed.slice();
      altered[bit >> 3]! ^= 1 << (bit & 7);
      expect(direct.decrypt(altered, ad, nonce, key)).toBeNull();
      expect(wrapper.decrypt(altered, ad, nonce, key)).toBeNull();
    }
    expect(direct.decrypt(sealed, ad, nonce, sodium.randombytes_buf(32))).toBeNull();
    expect(direct.decrypt(sealed, [new Uint8Array([1, 2, 4])], nonce, key)).toBeNull();
    expect(direct.decrypt(sealed.subarray(0, 15), ad, nonce, key)).toBeNull();
    expect(() => direct.encrypt(new Uint8Array(1), ad, nonce.subarray(1), key)).toThrow(RangeError);
  });

  it('grows its buffer for a large message and leaves no key or plaintext behind', () => {
    const direct = new DirectAead(sodiumModule(sodium)!);
    const key = new Uint8Array(32).fill(0x5c);
    const plaintext = new Uint8Array(300_000).fill(0x3a);
    plaintext.set(new TextEncoder().encode('SECRET-MARKER-9f2c'), 1000);
    const sealed = direct.encrypt(plaintext, [], new Uint8Array(24), key);
    expect(Buffer.compare(direct.decrypt(sealed, [], new Uint8Array(24), key)!, plaintext)).toBe(0);
    const heap = sodiumModule(sodium)!.HEAPU8;
    const view = Buffer.from(heap.buffer, heap.byteOffset, heap.byteLength);
    expect(view.indexOf(Buffer.from('SECRET-MARKER-9f2c'))).toBe(-1);
    expect(view.indexOf(Buffer.from(key))).toBe(-1);
  });
});
