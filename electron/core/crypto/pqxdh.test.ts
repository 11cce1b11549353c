/**
 * PQXDH (§3.3, §3.4): both sides derive the same SK and AD; bundles that fail a check are
 * refused before any key is used. THREAT-MODEL.md row "relay operator": false prekey bundles.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { PrekeyBundle } from '../../../shared/prekeys';
import { createIdentity } from './identity';
import { asDhPublicKey, asIdentityPublicKey } from './keys';
import { PQXDH_INFO, pqxdhInitiate, pqxdhRespond } from './pqxdh';
import {
  generateKemPrekey,
  generateOneTimePrekeys,
  generateSignedPrekey,
  toOneTimeEcPrekey,
  toSignedEcPrekey,
  toSignedKemPrekey,
} from './prekeys';
import { loadSodium, type Sodium } from './sodium';
import { codeOf } from './test-support';

let sodium: Sodium;
beforeAll(async () => {
  sodium = await loadSodium();
});

function world() {
  const alice = createIdentity(sodium);
  const bob = createIdentity(sodium);
  const spk = generateSignedPrekey(sodium, bob, 1, 0);
  const [opk] = generateOneTimePrekeys(sodium, 1, 1);
  const kem = generateKemPrekey(sodium, bob, 1, 0, true);
  const bundle: PrekeyBundle = {
    userId: 'bob',
    deviceId: 2,
    identityKey: bob.publicKey,
    signedPrekey: toSignedEcPrekey(spk),
    oneTimePrekey: toOneTimeEcPrekey(opk!),
    kemPrekey: toSignedKemPrekey(kem),
    kemPrekeyIsLastResort: true,
  };
  return { alice, bob, spk, opk: opk!, kem, bundle };
}

describe('PQXDH', () => {
  it('names Parley and the KEM in its info string', () => {
    expect(PQXDH_INFO).toBe('Parley_CURVE25519_SHA-256_ML-KEM-1024');
  });

  it('gives both sides the same secret and associated data, with or without a one-time prekey', () => {
    for (const withOneTime of [true, false]) {
      const { alice, bob, spk, opk, kem, bundle } = world();
      const sent = pqxdhInitiate(sodium, {
        identity: alice,
        localAddress: 'alice.1',
        bundle: withOneTime ? bundle : { ...bundle, oneTimePrekey: null },
      });
      const received = pqxdhRespond(sodium, {
        identity: bob,
        localAddress: 'bob.2',
        remoteAddress: 'alice.1',
        remoteIdentityKey: asIdentityPublicKey(alice.publicKey),
        baseKey: asDhPublicKey(sent.baseKey),
        kemCiphertext: sent.kemCiphertext,
        signedPrekey: spk,
        oneTimePrekey: withOneTime ? opk : null,
        kemPrekey: kem,
      });
      expect(received.sharedKey).toEqual(sent.sharedKey);
      expect(received.associatedData).toEqual(sent.associatedData);
      expect(sent.associatedData.subarray(0, 32)).toEqual(alice.publicKey);
      expect(sent.associatedData.subarray(32, 64)).toEqual(bob.publicKey);
      expect(sent.oneTimePrekeyId).toBe(withOneTime ? 1 : null);
      // Leaving out a DH the initiator used gives a different secret.
      const mismatched = pqxdhRespond(sodium, {
        identity: bob,
        localAddress: 'bob.2',
        remoteAddress: 'alice.1',
        remoteIdentityKey: asIdentityPublicKey(alice.publicKey),
        baseKey: asDhPublicKey(sent.baseKey),
        kemCiphertext: sent.kemCiphertext,
        signedPrekey: spk,
        oneTimePrekey: withOneTime ? null : opk,
        kemPrekey: kem,
      });
      expect(mismatched.sharedKey).not.toEqual(sent.sharedKey);
    }
  });

  it('depends on the KEM secret: another KEM key gives another secret', () => {
    const { alice, bob, spk, opk, bundle } = world();
    const sent = pqxdhInitiate(sodium, { identity: alice, localAddress: 'alice.1', bundle });
    const wrongKem = generateKemPrekey(sodium, bob, 1, 0, true);
    const received = pqxdhRespond(sodium, {
      identity: bob,
      localAddress: 'bob.2',
      remoteAddress: 'alice.1',
      remoteIdentityKey: asIdentityPublicKey(alice.publicKey),
      baseKey: asDhPublicKey(sent.baseKey),
      kemCiphertext: sent.kemCiphertext,
      signedPrekey: spk,
      oneTimePrekey: opk,
      kemPrekey: wrongKem,
    });
    expect(received.sharedKey).not.toEqual(sent.sharedKey);
  });

  it('refuses a signed prekey with a bad signature', () => {
    const { alice, bundle } = world();
    const signature = bundle.signedPrekey.signature.slice();
    signature[0]! ^= 1;
    const bad = { ...bundle, signedPrekey: { ...bundle.signedPrekey, signature } };
    expect(
      codeOf(() => pqxdhInitiate(sodium, { identity: alice, localAddress: 'alice.1', bundle: bad })),
    ).toBe('CRYPTO_BAD_SIGNATURE');
  });

  it('refuses a KEM prekey with a bad signature, or one signed by someone else', () => {
    const { alice, bundle } = world();
    const mallory = createIdentity(sodium);
    const forged = toSignedKemPrekey(generateKemPrekey(sodium, mallory, 1, 0, true));
    expect(
      codeOf(() =>
        pqxdhInitiate(sodium, {
          identity: alice,
          localAddress: 'alice.1',
          bundle: { ...bundle, kemPrekey: forged },
        }),
      ),
    ).toBe('CRYPTO_BAD_SIGNATURE');
  });

  it('refuses a bundle without a post-quantum prekey', () => {
    const { alice, bundle } = world();
    const noPq = { ...bundle, kemPrekey: undefined } as unknown as PrekeyBundle;
    expect(
      codeOf(() => pqxdhInitiate(sodium, { identity: alice, localAddress: 'alice.1', bundle: noPq })),
    ).toBe('CRYPTO_MISSING_PQ_PREKEY');
  });

  it('refuses keys of the wrong length before checking anything else', () => {
    const { alice, bundle } = world();
    const short = { ...bundle, signedPrekey: { ...bundle.signedPrekey, publicKey: new Uint8Array(31) } };
    expect(
      codeOf(() => pqxdhInitiate(sodium, { identity: alice, localAddress: 'alice.1', bundle: short })),
    ).toBe('WIRE_MALFORMED');
    const shortKem = { ...bundle, kemPrekey: { ...bundle.kemPrekey, publicKey: new Uint8Array(1567) } };
    expect(
      codeOf(() => pqxdhInitiate(sodium, { identity: alice, localAddress: 'alice.1', bundle: shortKem })),
    ).toBe('WIRE_MALFORMED');
  });

  it('refuses a low-order signed prekey even when its owner signed it', () => {
    const { alice, bob, bundle } = world();
    const lowOrder = new Uint8Array(32); // the point 0: every DH with it is all zeros
    const signed = {
      id: 9,
      publicKey: lowOrder,
      signature: sodium.crypto_sign_detached(Uint8Array.of(5, ...lowOrder), bob.secretKey),
    };
    expect(
      codeOf(() =>
        pqxdhInitiate(sodium, {
          identity: alice,
          localAddress: 'alice.1',
          bundle: { ...bundle, signedPrekey: signed },
        }),
      ),
    ).toBe('CRYPTO_INVALID_KEY');
  });
});
