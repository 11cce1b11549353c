/**
 * This device's prekeys (PQXDH §3.2 "Publishing keys"): a signed X25519 prekey SPK, one-time
 * X25519 prekeys OPK, a signed last-resort ML-KEM-1024 prekey and signed one-time ML-KEM
 * prekeys. Signatures are Ed25519 by the identity key over EncodeEC / EncodeKEM (PQXDH §2.5),
 * the same bytes the relay checks on upload (shared/prekeys.ts).
 */
import { ParleyError } from '../../../shared/errors';
import {
  encodeEC,
  encodeKEM,
  type OneTimeEcPrekey,
  type PrekeyUpload,
  type SignedEcPrekey,
  type SignedKemPrekey,
} from '../../../shared/prekeys';
import { type IdentityKeyPair, signWithIdentity, verifyIdentitySignature } from './identity';
import type { DhKeyPair, KemKeyPair } from './keys';
import { generateKemKeyPair } from './mlkem';
import { type RandomBytes, systemRandomBytes } from './random';
import type { Sodium } from './sodium';
import { generateDhKeyPair } from './x25519';

export interface SignedPrekeyRecord {
  readonly id: number;
  readonly keyPair: DhKeyPair;
  readonly signature: Uint8Array;
  /** When it was made (ms), for the rotation policy. */
  readonly createdAt: number;
}

export interface OneTimePrekeyRecord {
  readonly id: number;
  readonly keyPair: DhKeyPair;
}

export interface KemPrekeyRecord {
  readonly id: number;
  readonly keyPair: KemKeyPair;
  readonly signature: Uint8Array;
  readonly createdAt: number;
  /** A last-resort KEM prekey is reused until rotated; a one-time one is deleted once used. */
  readonly lastResort: boolean;
}

/** Prekey ids are 24-bit and wrap around (as in libsignal), starting at 1. */
export const MAX_PREKEY_ID = 0xffffff;

/** The id after `id`, wrapping from MAX_PREKEY_ID back to 1. */
export function nextPrekeyId(id: number): number {
  return (id % MAX_PREKEY_ID) + 1;
}

function checkId(id: number): void {
  if (!Number.isInteger(id) || id < 1 || id > MAX_PREKEY_ID) {
    throw new ParleyError(
      'INVALID_ARGUMENT',
      `A prekey id must be a whole number from 1 to ${MAX_PREKEY_ID}.`,
    );
  }
}

/** PQXDH §3.2: a new signed X25519 prekey, signed over EncodeEC(SPK). */
export function generateSignedPrekey(
  sodium: Sodium,
  identity: IdentityKeyPair,
  id: number,
  now: number,
  random: RandomBytes = systemRandomBytes,
): SignedPrekeyRecord {
  checkId(id);
  const keyPair = generateDhKeyPair(sodium, random);
  return {
    id,
    keyPair,
    signature: signWithIdentity(sodium, identity, encodeEC(keyPair.publicKey)),
    createdAt: now,
  };
}

/** PQXDH §3.2: `count` one-time X25519 prekeys with consecutive (wrapping) ids from `firstId`. */
export function generateOneTimePrekeys(
  sodium: Sodium,
  firstId: number,
  count: number,
  random: RandomBytes = systemRandomBytes,
): OneTimePrekeyRecord[] {
  checkId(firstId);
  const records: OneTimePrekeyRecord[] = [];
  for (let i = 0, id = firstId; i < count; i++, id = nextPrekeyId(id)) {
    records.push({ id, keyPair: generateDhKeyPair(sodium, random) });
  }
  return records;
}

/** PQXDH §3.2: a signed ML-KEM-1024 prekey (last-resort PQSPK or one-time PQOPK), signed over EncodeKEM. */
export function generateKemPrekey(
  sodium: Sodium,
  identity: IdentityKeyPair,
  id: number,
  now: number,
  lastResort: boolean,
  random: RandomBytes = systemRandomBytes,
): KemPrekeyRecord {
  checkId(id);
  const keyPair = generateKemKeyPair(random);
  const signature = signWithIdentity(sodium, identity, encodeKEM(keyPair.publicKey));
  return { id, keyPair, signature, createdAt: now, lastResort };
}

/** `count` signed one-time ML-KEM prekeys with consecutive (wrapping) ids from `firstId`. */
export function generateOneTimeKemPrekeys(
  sodium: Sodium,
  identity: IdentityKeyPair,
  firstId: number,
  count: number,
  now: number,
  random: RandomBytes = systemRandomBytes,
): KemPrekeyRecord[] {
  checkId(firstId);
  const records: KemPrekeyRecord[] = [];
  for (let i = 0, id = firstId; i < count; i++, id = nextPrekeyId(id)) {
    records.push(generateKemPrekey(sodium, identity, id, now, false, random));
  }
  return records;
}

export function toSignedEcPrekey(record: SignedPrekeyRecord): SignedEcPrekey {
  return { id: record.id, publicKey: record.keyPair.publicKey, signature: record.signature };
}

export function toOneTimeEcPrekey(record: OneTimePrekeyRecord): OneTimeEcPrekey {
  return { id: record.id, publicKey: record.keyPair.publicKey };
}

export function toSignedKemPrekey(record: KemPrekeyRecord): SignedKemPrekey {
  return { id: record.id, publicKey: record.keyPair.publicKey, signature: record.signature };
}

/** The public halves to upload to the relay; any part may be left out on a replenishing upload. */
export function makePrekeyUpload(parts: {
  readonly signedPrekey?: SignedPrekeyRecord;
  readonly oneTimePrekeys?: readonly OneTimePrekeyRecord[];
  readonly lastResortKemPrekey?: KemPrekeyRecord;
  readonly oneTimeKemPrekeys?: readonly KemPrekeyRecord[];
}): PrekeyUpload {
  return {
    ...(parts.signedPrekey ? { signedPrekey: toSignedEcPrekey(parts.signedPrekey) } : {}),
    ...(parts.oneTimePrekeys ? { oneTimePrekeys: parts.oneTimePrekeys.map(toOneTimeEcPrekey) } : {}),
    ...(parts.lastResortKemPrekey
      ? { lastResortKemPrekey: toSignedKemPrekey(parts.lastResortKemPrekey) }
      : {}),
    ...(parts.oneTimeKemPrekeys ? { oneTimeKemPrekeys: parts.oneTimeKemPrekeys.map(toSignedKemPrekey) } : {}),
  };
}

/** PQXDH §3.3: Sig(IK, EncodeEC(SPK)) verifies under the owner's Ed25519 identity key. */
export function verifySignedEcPrekey(
  sodium: Sodium,
  identityKey: Uint8Array,
  prekey: SignedEcPrekey,
): boolean {
  return verifyIdentitySignature(sodium, identityKey, encodeEC(prekey.publicKey), prekey.signature);
}

/** PQXDH §3.3: Sig(IK, EncodeKEM(PQPK)) verifies under the owner's Ed25519 identity key. */
export function verifySignedKemPrekey(
  sodium: Sodium,
  identityKey: Uint8Array,
  prekey: SignedKemPrekey,
): boolean {
  return verifyIdentitySignature(sodium, identityKey, encodeKEM(prekey.publicKey), prekey.signature);
}
