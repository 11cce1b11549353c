/**
 * The device identity key pair (DESIGN.md, Protocol: Identity): Ed25519 for signatures, and its
 * X25519 form by libsodium's conversion for the DH of PQXDH (IK_A, IK_B in PQXDH §2.4).
 */
import { create, toBinary } from '@bufbuild/protobuf';
import { ParleyError } from '../../../shared/errors';
import { IdentityKeyRecordSchema } from '../../../shared/wire/gen/parley/state/v1/keys_pb';
import { decodeProto, expectBytes, expectVersion } from '../../../shared/wire/wire-checks';
import {
  asIdentityPublicKey,
  asIdentitySecretKey,
  bytesEqual,
  type DhPublicKey,
  type DhSecretKey,
  IDENTITY_PUBLIC_KEY_BYTES,
  IDENTITY_SECRET_KEY_BYTES,
  type IdentityPublicKey,
  type IdentitySecretKey,
  wipe,
} from './keys';
import { type RandomBytes, systemRandomBytes } from './random';
import type { Sodium } from './sodium';

export interface IdentityKeyPair {
  readonly publicKey: IdentityPublicKey;
  readonly secretKey: IdentitySecretKey;
  /** X25519 form of the public key, for DH. */
  readonly dhPublicKey: DhPublicKey;
  /** X25519 form of the secret key, for DH. */
  readonly dhSecretKey: DhSecretKey;
}

const IDENTITY_RECORD_VERSION = 1;
const SEED_BYTES = 32;

/** A new device identity (Ed25519 from 32 random bytes). */
export function createIdentity(sodium: Sodium, random: RandomBytes = systemRandomBytes): IdentityKeyPair {
  const seed = random(SEED_BYTES);
  const pair = sodium.crypto_sign_seed_keypair(seed);
  wipe(sodium, seed);
  return identityFromSecretKey(sodium, asIdentitySecretKey(pair.privateKey));
}

/** Rebuilds the whole pair from the Ed25519 secret key; refuses one whose halves disagree. */
export function identityFromSecretKey(sodium: Sodium, secretKey: IdentitySecretKey): IdentityKeyPair {
  const seed = sodium.crypto_sign_ed25519_sk_to_seed(secretKey);
  const derived = sodium.crypto_sign_seed_keypair(seed);
  wipe(sodium, seed, derived.privateKey);
  const publicKey = asIdentityPublicKey(sodium.crypto_sign_ed25519_sk_to_pk(secretKey));
  if (!bytesEqual(publicKey, derived.publicKey)) {
    throw new ParleyError(
      'CRYPTO_INVALID_KEY',
      'The stored identity key is damaged. Restore it from a backup.',
    );
  }
  return {
    publicKey,
    secretKey,
    dhPublicKey: sodium.crypto_sign_ed25519_pk_to_curve25519(publicKey) as DhPublicKey,
    dhSecretKey: sodium.crypto_sign_ed25519_sk_to_curve25519(secretKey) as DhSecretKey,
  };
}

/** The X25519 form of someone's identity key; refuses bytes that are not an Ed25519 point. */
export function identityDhPublicKey(sodium: Sodium, publicKey: IdentityPublicKey): DhPublicKey {
  try {
    return sodium.crypto_sign_ed25519_pk_to_curve25519(publicKey) as DhPublicKey;
  } catch (cause) {
    throw new ParleyError(
      'CRYPTO_INVALID_KEY',
      'That identity key is not a valid key, so it cannot be used.',
      {
        cause,
      },
    );
  }
}

/** Ed25519 signature by the identity key (PQXDH §2.2 Sig, with Ed25519 in place of XEdDSA). */
export function signWithIdentity(sodium: Sodium, identity: IdentityKeyPair, message: Uint8Array): Uint8Array {
  return sodium.crypto_sign_detached(message, identity.secretKey);
}

export function verifyIdentitySignature(
  sodium: Sodium,
  publicKey: Uint8Array,
  message: Uint8Array,
  signature: Uint8Array,
): boolean {
  if (publicKey.length !== IDENTITY_PUBLIC_KEY_BYTES || signature.length !== sodium.crypto_sign_BYTES)
    return false;
  try {
    return sodium.crypto_sign_verify_detached(signature, message, publicKey);
  } catch {
    return false;
  }
}

export function wipeIdentity(sodium: Sodium, identity: IdentityKeyPair): void {
  wipe(sodium, identity.secretKey, identity.dhSecretKey);
}

export function serializeIdentity(identity: IdentityKeyPair): Uint8Array {
  return toBinary(
    IdentityKeyRecordSchema,
    create(IdentityKeyRecordSchema, {
      version: IDENTITY_RECORD_VERSION,
      publicKey: identity.publicKey,
      secretKey: identity.secretKey,
    }),
  );
}

export function deserializeIdentity(sodium: Sodium, bytes: Uint8Array): IdentityKeyPair {
  const what = 'stored identity key';
  const record = decodeProto(IdentityKeyRecordSchema, bytes, what, 256);
  expectVersion(record.version, IDENTITY_RECORD_VERSION, what);
  expectBytes(record.publicKey, IDENTITY_PUBLIC_KEY_BYTES, what);
  const identity = identityFromSecretKey(
    sodium,
    asIdentitySecretKey(expectBytes(record.secretKey, IDENTITY_SECRET_KEY_BYTES, what)),
  );
  if (!bytesEqual(identity.publicKey, record.publicKey)) {
    throw new ParleyError(
      'CRYPTO_INVALID_KEY',
      'The stored identity key is damaged. Restore it from a backup.',
    );
  }
  return identity;
}
