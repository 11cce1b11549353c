/** Device identity keys: generation, signatures, the X25519 form, and the stored record. */
import { beforeAll, describe, expect, it } from 'vitest';
import {
  createIdentity,
  deserializeIdentity,
  identityDhPublicKey,
  serializeIdentity,
  signWithIdentity,
  verifyIdentitySignature,
  wipeIdentity,
} from './identity';
import type { IdentityPublicKey } from './keys';
import { loadSodium, type Sodium } from './sodium';
import { codeOf } from './test-support';

let sodium: Sodium;
beforeAll(async () => {
  sodium = await loadSodium();
});

describe('identity key pair', () => {
  it('has an X25519 form whose DH agrees between two devices', () => {
    const a = createIdentity(sodium);
    const b = createIdentity(sodium);
    const ab = sodium.crypto_scalarmult(a.dhSecretKey, identityDhPublicKey(sodium, b.publicKey));
    const ba = sodium.crypto_scalarmult(b.dhSecretKey, identityDhPublicKey(sodium, a.publicKey));
    expect(ab).toEqual(ba);
    expect(a.dhPublicKey).toEqual(identityDhPublicKey(sodium, a.publicKey));
  });

  it('signs, and the signature verifies only for the same key and message', () => {
    const a = createIdentity(sodium);
    const b = createIdentity(sodium);
    const message = new TextEncoder().encode('prekey');
    const signature = signWithIdentity(sodium, a, message);
    expect(verifyIdentitySignature(sodium, a.publicKey, message, signature)).toBe(true);
    expect(verifyIdentitySignature(sodium, b.publicKey, message, signature)).toBe(false);
    expect(verifyIdentitySignature(sodium, a.publicKey, new Uint8Array(6), signature)).toBe(false);
    expect(verifyIdentitySignature(sodium, a.publicKey, message, signature.subarray(1))).toBe(false);
  });

  it('serializes to bytes and back exactly', () => {
    const identity = createIdentity(sodium);
    const bytes = serializeIdentity(identity);
    const back = deserializeIdentity(sodium, bytes);
    expect(back).toEqual(identity);
    expect(serializeIdentity(back)).toEqual(bytes);
  });

  it('refuses a damaged, truncated or future record with a typed error', () => {
    const bytes = serializeIdentity(createIdentity(sodium));
    const flipped = bytes.slice();
    flipped[bytes.length - 1]! ^= 1; // inside the secret key's embedded public key
    expect(codeOf(() => deserializeIdentity(sodium, flipped))).toBe('CRYPTO_INVALID_KEY');
    expect(codeOf(() => deserializeIdentity(sodium, bytes.subarray(0, 20)))).toMatch(/^WIRE_/);
    const future = bytes.slice();
    future[1] = 2; // version field value
    expect(codeOf(() => deserializeIdentity(sodium, future))).toBe('WIRE_BAD_VERSION');
    expect(codeOf(() => deserializeIdentity(sodium, new Uint8Array([0xff, 0xff, 0xff])))).toBe(
      'WIRE_MALFORMED',
    );
  });

  it('refuses bytes that are not an Ed25519 point', () => {
    const notAPoint = new Uint8Array(32).fill(0xff) as IdentityPublicKey;
    expect(codeOf(() => identityDhPublicKey(sodium, notAPoint))).toBe('CRYPTO_INVALID_KEY');
  });

  it('wipes its secret halves', () => {
    const identity = createIdentity(sodium);
    wipeIdentity(sodium, identity);
    expect(identity.secretKey.every((b) => b === 0)).toBe(true);
    expect(identity.dhSecretKey.every((b) => b === 0)).toBe(true);
  });
});
