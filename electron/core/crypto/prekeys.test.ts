/** Prekey generation, signatures (the bytes the relay checks), serialization and key branding. */
import { beforeAll, describe, expect, it } from 'vitest';
import { encodeEC, encodeKEM, MLKEM1024_PUBLIC_BYTES } from '../../../shared/prekeys';
import { createIdentity } from './identity';
import type { DhPublicKey, DhSecretKey } from './keys';
import {
  deserializeKemPrekey,
  deserializeOneTimePrekey,
  deserializeSignedPrekey,
  serializeKemPrekey,
  serializeOneTimePrekey,
  serializeSignedPrekey,
} from './prekey-serialization';
import {
  generateKemPrekey,
  generateOneTimeKemPrekeys,
  generateOneTimePrekeys,
  generateSignedPrekey,
  MAX_PREKEY_ID,
  makePrekeyUpload,
  nextPrekeyId,
  verifySignedEcPrekey,
  verifySignedKemPrekey,
} from './prekeys';
import { loadSodium, type Sodium } from './sodium';
import { codeOf } from './test-support';
import { dh } from './x25519';

let sodium: Sodium;
beforeAll(async () => {
  sodium = await loadSodium();
});

describe('prekeys', () => {
  it('signs the signed prekey over EncodeEC and KEM prekeys over EncodeKEM (PQXDH §2.5)', () => {
    const identity = createIdentity(sodium);
    const spk = generateSignedPrekey(sodium, identity, 7, 1000);
    const kem = generateKemPrekey(sodium, identity, 8, 1000, true);
    // Exactly what the relay verifies on upload, with the shared encoders.
    expect(
      sodium.crypto_sign_verify_detached(spk.signature, encodeEC(spk.keyPair.publicKey), identity.publicKey),
    ).toBe(true);
    expect(
      sodium.crypto_sign_verify_detached(kem.signature, encodeKEM(kem.keyPair.publicKey), identity.publicKey),
    ).toBe(true);
    expect(kem.keyPair.publicKey).toHaveLength(MLKEM1024_PUBLIC_BYTES);
    const upload = makePrekeyUpload({ signedPrekey: spk, lastResortKemPrekey: kem });
    expect(verifySignedEcPrekey(sodium, identity.publicKey, upload.signedPrekey!)).toBe(true);
    expect(verifySignedKemPrekey(sodium, identity.publicKey, upload.lastResortKemPrekey!)).toBe(true);
    expect(verifySignedEcPrekey(sodium, createIdentity(sodium).publicKey, upload.signedPrekey!)).toBe(false);
    expect(upload).not.toHaveProperty('oneTimePrekeys');
    expect(JSON.stringify(Object.keys(upload.signedPrekey!))).toBe('["id","publicKey","signature"]');
  });

  it('makes one-time prekeys with consecutive ids that wrap after 2^24 - 1', () => {
    const identity = createIdentity(sodium);
    const ids = generateOneTimePrekeys(sodium, MAX_PREKEY_ID - 1, 3).map((r) => r.id);
    expect(ids).toEqual([MAX_PREKEY_ID - 1, MAX_PREKEY_ID, 1]);
    expect(nextPrekeyId(MAX_PREKEY_ID)).toBe(1);
    const kem = generateOneTimeKemPrekeys(sodium, identity, 5, 2, 0);
    expect(kem.map((r) => [r.id, r.lastResort])).toEqual([
      [5, false],
      [6, false],
    ]);
    expect(codeOf(() => generateOneTimePrekeys(sodium, 0, 1))).toBe('INVALID_ARGUMENT');
  });

  it('serializes every record kind to bytes and back exactly', () => {
    const identity = createIdentity(sodium);
    const spk = generateSignedPrekey(sodium, identity, 3, 1_700_000_000_123);
    const [otk] = generateOneTimePrekeys(sodium, 9, 1);
    const kem = generateKemPrekey(sodium, identity, 4, 1_700_000_000_456, false);
    const spkBytes = serializeSignedPrekey(spk);
    expect(deserializeSignedPrekey(sodium, spkBytes)).toEqual(spk);
    expect(serializeSignedPrekey(deserializeSignedPrekey(sodium, spkBytes))).toEqual(spkBytes);
    const otkBytes = serializeOneTimePrekey(otk!);
    expect(deserializeOneTimePrekey(sodium, otkBytes)).toEqual(otk);
    const kemBytes = serializeKemPrekey(kem);
    expect(deserializeKemPrekey(kemBytes)).toEqual(kem);
    expect(serializeKemPrekey(deserializeKemPrekey(kemBytes))).toEqual(kemBytes);
  });

  it('refuses records whose halves do not match, or that are cut short', () => {
    const identity = createIdentity(sodium);
    const spk = generateSignedPrekey(sodium, identity, 3, 0);
    const other = generateSignedPrekey(sodium, identity, 3, 0);
    const mixed = serializeSignedPrekey({
      ...spk,
      keyPair: { ...spk.keyPair, secretKey: other.keyPair.secretKey },
    });
    expect(codeOf(() => deserializeSignedPrekey(sodium, mixed))).toBe('CRYPTO_INVALID_KEY');
    const kem = generateKemPrekey(sodium, identity, 4, 0, true);
    const kem2 = generateKemPrekey(sodium, identity, 4, 0, true);
    const mixedKem = serializeKemPrekey({
      ...kem,
      keyPair: { ...kem.keyPair, publicKey: kem2.keyPair.publicKey },
    });
    expect(codeOf(() => deserializeKemPrekey(mixedKem))).toBe('CRYPTO_INVALID_KEY');
    expect(
      codeOf(() => deserializeOneTimePrekey(sodium, serializeSignedPrekey(spk).subarray(0, 30))),
    ).toMatch(/^WIRE_|^CRYPTO_INVALID_KEY$/);
  });

  it('brands keys so a public key cannot stand in for a secret one', () => {
    const [record] = generateOneTimePrekeys(sodium, 1, 1);
    const publicKey: DhPublicKey = record!.keyPair.publicKey;
    // @ts-expect-error a public key is not a secret key
    const misuse: DhSecretKey = publicKey;
    expect(misuse).toBe(publicKey);
    expect(dh(sodium, record!.keyPair.secretKey, publicKey)).toHaveLength(32);
  });
});
