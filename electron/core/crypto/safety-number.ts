/**
 * Safety numbers, after Signal's NumericFingerprintGenerator (version 0 hashing, 5200
 * iterations): each side's fingerprint is SHA-512 iterated over its identity key and stable
 * identifier; 30 digits per side, the two halves sorted so both devices show the same 60 digits.
 * The QR code carries both 32-byte hashes (shared/wire/safety-number-code.ts) so that one device
 * can scan or paste the other's and check it. A user with several devices is one party whose key
 * is the sorted concatenation of the device identity keys: any new or changed device changes the number.
 */
import { ParleyError } from '../../../shared/errors';
import {
  decodeSafetyNumberCode,
  encodeSafetyNumberCode,
  SAFETY_NUMBER_FINGERPRINT_BYTES,
  type SafetyNumberCode,
  safetyNumberCodeFromText,
  safetyNumberCodeToText,
} from '../../../shared/wire/safety-number-code';
import { IDENTITY_PUBLIC_KEY_BYTES, type IdentityPublicKey } from './keys';
import type { Sodium } from './sodium';

export const SAFETY_NUMBER_ITERATIONS = 5200;
const FINGERPRINT_VERSION = new Uint8Array([0, 0]);
const DIGITS_PER_SIDE = 30;

export interface SafetyNumberParty {
  /** The stable identifier: the user id. */
  readonly userId: string;
  /** Identity keys of the user's devices (one or more, any order). */
  readonly identityKeys: readonly IdentityPublicKey[];
}

export interface SafetyNumber {
  /** 60 digits, the same on both sides. */
  readonly digits: string;
  /** What this device's QR code shows. */
  readonly code: SafetyNumberCode;
  /** The QR code's bytes. */
  readonly qrPayload: Uint8Array;
  /** The same as text, to copy and paste. */
  readonly text: string;
}

/** The safety number between `local` and `remote`, as `local` sees it. */
export function safetyNumber(
  sodium: Sodium,
  local: SafetyNumberParty,
  remote: SafetyNumberParty,
): SafetyNumber {
  const encoder = new TextEncoder();
  const localHash = fingerprintHash(
    sodium,
    partyKey(local),
    encoder.encode(local.userId),
    SAFETY_NUMBER_ITERATIONS,
  );
  const remoteHash = fingerprintHash(
    sodium,
    partyKey(remote),
    encoder.encode(remote.userId),
    SAFETY_NUMBER_ITERATIONS,
  );
  const code: SafetyNumberCode = {
    localFingerprint: localHash.slice(0, SAFETY_NUMBER_FINGERPRINT_BYTES),
    remoteFingerprint: remoteHash.slice(0, SAFETY_NUMBER_FINGERPRINT_BYTES),
  };
  return {
    digits: combineDigits(localHash, remoteHash),
    code,
    qrPayload: encodeSafetyNumberCode(code),
    text: safetyNumberCodeToText(code),
  };
}

/**
 * Checks a code scanned (bytes) or pasted (text) from the peer's device: its "local" must be our
 * "remote" and the other way round, compared in constant time. A malformed code or one of
 * another version is a typed error; a mismatch is false.
 */
export function verifySafetyNumberCode(
  sodium: Sodium,
  ours: SafetyNumber,
  scanned: Uint8Array | string,
): boolean {
  const theirs =
    typeof scanned === 'string' ? safetyNumberCodeFromText(scanned) : decodeSafetyNumberCode(scanned);
  const sameLocal = sodium.memcmp(theirs.localFingerprint, ours.code.remoteFingerprint);
  const sameRemote = sodium.memcmp(theirs.remoteFingerprint, ours.code.localFingerprint);
  return sameLocal && sameRemote;
}

/** The 60 digits in 12 groups of 5, as Signal shows them. */
export function formatSafetyNumber(digits: string): string {
  return digits.replace(/(\d{5})(?=\d)/g, '$1 ');
}

/**
 * NumericFingerprintGenerator.getFingerprint: H_0 = SHA-512(version ‖ key ‖ id ‖ key),
 * H_i = SHA-512(H_{i-1} ‖ key), `iterations` hashes in all; the result is H_{iterations-1}.
 */
export function fingerprintHash(
  sodium: Sodium,
  key: Uint8Array,
  stableId: Uint8Array,
  iterations: number,
): Uint8Array {
  if (!Number.isInteger(iterations) || iterations < 2 || iterations > 1_000_000) {
    throw new ParleyError('INVALID_ARGUMENT', 'The fingerprint iteration count is out of range.');
  }
  const first = new Uint8Array(FINGERPRINT_VERSION.length + key.length * 2 + stableId.length);
  first.set(FINGERPRINT_VERSION, 0);
  first.set(key, 2);
  first.set(stableId, 2 + key.length);
  first.set(key, 2 + key.length + stableId.length);
  const buffer = new Uint8Array(64 + key.length);
  buffer.set(sodium.crypto_hash_sha512(first), 0);
  buffer.set(key, 64);
  for (let i = 1; i < iterations; i++) buffer.set(sodium.crypto_hash_sha512(buffer), 0);
  return buffer.slice(0, 64);
}

/** DisplayableFingerprint: 6 chunks of 5 bytes, each big-endian mod 100000, per side; sorted. */
export function combineDigits(localHash: Uint8Array, remoteHash: Uint8Array): string {
  const local = sideDigits(localHash);
  const remote = sideDigits(remoteHash);
  return local < remote ? local + remote : remote + local;
}

function sideDigits(hash: Uint8Array): string {
  let out = '';
  for (let chunk = 0; chunk < DIGITS_PER_SIDE / 5; chunk++) {
    let value = 0;
    for (let i = 0; i < 5; i++) value = value * 256 + (hash[chunk * 5 + i] ?? 0);
    out += (value % 100000).toString().padStart(5, '0');
  }
  return out;
}

function partyKey(party: SafetyNumberParty): Uint8Array {
  if (party.identityKeys.length === 0) {
    throw new ParleyError('INVALID_ARGUMENT', 'A safety number needs at least one identity key per person.');
  }
  const keys = [...party.identityKeys].sort(compareBytes);
  const out = new Uint8Array(keys.length * IDENTITY_PUBLIC_KEY_BYTES);
  keys.forEach((key, i) => {
    if (key.length !== IDENTITY_PUBLIC_KEY_BYTES) {
      throw new ParleyError('CRYPTO_INVALID_KEY', 'An identity key has the wrong length.');
    }
    out.set(key, i * IDENTITY_PUBLIC_KEY_BYTES);
  });
  return out;
}

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return d;
  }
  return a.length - b.length;
}
