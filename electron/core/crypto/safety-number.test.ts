/**
 * Safety numbers. THREAT-MODEL.md row "relay operator": a substituted identity key shows as a
 * different number and fails the QR check.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { ParleyError } from '../../../shared/errors';
import { createIdentity } from './identity';
import type { IdentityPublicKey } from './keys';
import {
  combineDigits,
  fingerprintHash,
  formatSafetyNumber,
  SAFETY_NUMBER_ITERATIONS,
  safetyNumber,
  verifySafetyNumberCode,
} from './safety-number';
import { loadSodium, type Sodium } from './sodium';

let sodium: Sodium;
beforeAll(async () => {
  sodium = await loadSodium();
});

const hex = (text: string) => Uint8Array.from(Buffer.from(text, 'hex'));
const key = () => createIdentity(sodium).publicKey;

describe('safety numbers', () => {
  it("match libsignal's NumericFingerprint test vector (5200 iterations)", () => {
    // libsignal fingerprint.rs fingerprint_test_v1: serialized Curve25519 identity keys and phone numbers.
    const alice = hex('0506863bc66d02b40d27b8d49ca7c09e9239236f9d7d25d6fcca5ce13c7064d868');
    const bob = hex('05f781b6fb32fed9ba1cf2de978d4d5da28dc34046ae814402b5c0dbd96fda907b');
    const encode = (s: string) => new TextEncoder().encode(s);
    const a = fingerprintHash(sodium, alice, encode('+14152222222'), SAFETY_NUMBER_ITERATIONS);
    const b = fingerprintHash(sodium, bob, encode('+14153333333'), SAFETY_NUMBER_ITERATIONS);
    expect(combineDigits(a, b)).toBe('300354477692869396892869876765458257569162576843440918079131');
    expect(Buffer.from(a.subarray(0, 32)).toString('hex')).toBe(
      '1e301a0353dce3dbe7684cb8336e85136cdc0ee96219494ada305d62a7bd61df',
    );
    expect(Buffer.from(b.subarray(0, 32)).toString('hex')).toBe(
      'd62cbf73a11592015b6b9f1682ac306fea3aaf3885b84d12bca631e9d4fb3a4d',
    );
  });

  it('are 60 digits, the same on both sides', () => {
    const alice = { userId: 'alice', identityKeys: [key()] };
    const bob = { userId: 'bob', identityKeys: [key()] };
    const mine = safetyNumber(sodium, alice, bob);
    const theirs = safetyNumber(sodium, bob, alice);
    expect(mine.digits).toMatch(/^\d{60}$/);
    expect(theirs.digits).toBe(mine.digits);
    expect(formatSafetyNumber(mine.digits).split(' ')).toHaveLength(12);
  });

  it('change when either identity key changes, or a device is added', () => {
    const aliceKey = key();
    const bobKey = key();
    const base = safetyNumber(
      sodium,
      { userId: 'alice', identityKeys: [aliceKey] },
      { userId: 'bob', identityKeys: [bobKey] },
    );
    const newBob = safetyNumber(
      sodium,
      { userId: 'alice', identityKeys: [aliceKey] },
      { userId: 'bob', identityKeys: [key()] },
    );
    const newAlice = safetyNumber(
      sodium,
      { userId: 'alice', identityKeys: [key()] },
      { userId: 'bob', identityKeys: [bobKey] },
    );
    const bobTwoDevices = safetyNumber(
      sodium,
      { userId: 'alice', identityKeys: [aliceKey] },
      { userId: 'bob', identityKeys: [bobKey, key()] },
    );
    expect(new Set([base.digits, newBob.digits, newAlice.digits, bobTwoDevices.digits]).size).toBe(4);
  });

  it('do not depend on the order devices are listed in', () => {
    const [k1, k2] = [key(), key()];
    const alice = { userId: 'alice', identityKeys: [key()] };
    expect(safetyNumber(sodium, alice, { userId: 'bob', identityKeys: [k1, k2] }).digits).toBe(
      safetyNumber(sodium, alice, { userId: 'bob', identityKeys: [k2, k1] }).digits,
    );
  });

  it("verify by scanning or pasting the other device's code, and only that", () => {
    const alice = { userId: 'alice', identityKeys: [key()] };
    const bob = { userId: 'bob', identityKeys: [key()] };
    const onAlice = safetyNumber(sodium, alice, bob);
    const onBob = safetyNumber(sodium, bob, alice);
    expect(verifySafetyNumberCode(sodium, onAlice, onBob.qrPayload)).toBe(true);
    expect(verifySafetyNumberCode(sodium, onBob, onAlice.text)).toBe(true);
    expect(verifySafetyNumberCode(sodium, onAlice, onAlice.qrPayload)).toBe(false); // one's own code
    const mitm = safetyNumber(sodium, bob, { userId: 'alice', identityKeys: [key() as IdentityPublicKey] });
    expect(verifySafetyNumberCode(sodium, onAlice, mitm.qrPayload)).toBe(false);
  });

  it('refuse a code that is malformed or of another version, with a typed error', () => {
    const alice = { userId: 'alice', identityKeys: [key()] };
    const ours = safetyNumber(sodium, alice, { userId: 'bob', identityKeys: [key()] });
    const codeOf = (scanned: Uint8Array | string) => {
      try {
        verifySafetyNumberCode(sodium, ours, scanned);
      } catch (error) {
        expect(error).toBeInstanceOf(ParleyError);
        return (error as ParleyError).code;
      }
      return 'none';
    };
    expect(codeOf('hello')).toBe('WIRE_MALFORMED');
    expect(codeOf(ours.qrPayload.subarray(0, 20))).toMatch(/^WIRE_/);
    const future = ours.qrPayload.slice();
    future[1] = 9;
    expect(codeOf(future)).toBe('WIRE_BAD_VERSION');
  });
});
