/**
 * PQXDH key agreement (Signal, "The PQXDH Key Agreement Protocol", revision 3) with X25519,
 * SHA-256 and ML-KEM-1024. It yields the shared secret SK that becomes the first Double Ratchet
 * root key, and the associated data AD every message of the session authenticates (§3.3).
 */
import { formatAddress } from '../../../shared/address';
import { ParleyError } from '../../../shared/errors';
import {
  ED25519_PUBLIC_BYTES,
  ED25519_SIGNATURE_BYTES,
  MLKEM1024_PUBLIC_BYTES,
  type PrekeyBundle,
  X25519_PUBLIC_BYTES,
} from '../../../shared/prekeys';
import { hkdfSha256 } from './hkdf';
import { type IdentityKeyPair, identityDhPublicKey } from './identity';
import {
  asDhPublicKey,
  asIdentityPublicKey,
  asKemPublicKey,
  asRootKey,
  type DhPublicKey,
  type IdentityPublicKey,
  type RootKey,
  wipe,
} from './keys';
import { kemDecapsulate, kemEncapsulate } from './mlkem';
import type { KemPrekeyRecord, OneTimePrekeyRecord, SignedPrekeyRecord } from './prekeys';
import { verifySignedEcPrekey, verifySignedKemPrekey } from './prekeys';
import { type RandomBytes, systemRandomBytes } from './random';
import type { Sodium } from './sodium';
import { dh, generateDhKeyPair } from './x25519';

/** PQXDH §2.1 info: the application, curve, hash and KEM, joined by '_'. */
export const PQXDH_INFO = 'Parley_CURVE25519_SHA-256_ML-KEM-1024';

const encoder = new TextEncoder();
const INFO_BYTES = encoder.encode(PQXDH_INFO);
const SHARED_KEY_BYTES = 32;
// PQXDH §2.2 KDF: F is 32 0xFF bytes for X25519, so the input never starts with a valid key.
const KDF_PREFIX = new Uint8Array(32).fill(0xff);
const KDF_SALT = new Uint8Array(32);

export interface PqxdhInitiation {
  /** SK, the first Double Ratchet root key. */
  readonly sharedKey: RootKey;
  readonly associatedData: Uint8Array;
  readonly remoteIdentityKey: IdentityPublicKey;
  /** Its X25519 form. */
  readonly remoteIdentityDhKey: DhPublicKey;
  /** The responder's signed prekey, its first ratchet public key (Double Ratchet §5.1). */
  readonly remoteSignedPrekey: DhPublicKey;
  /** EK_A's public half, sent in the initial message. */
  readonly baseKey: DhPublicKey;
  readonly signedPrekeyId: number;
  readonly oneTimePrekeyId: number | null;
  readonly kemPrekeyId: number;
  readonly kemCiphertext: Uint8Array;
}

/**
 * PQXDH §3.3 "Sending the initial message": verifies both prekey signatures, then computes
 * DH1..DH4 and (CT, SS) = PQKEM-ENC(PQPK_B), SK = KDF(DH1 ‖ DH2 ‖ DH3 ‖ DH4 ‖ SS). A bundle
 * with a bad signature or without a post-quantum prekey is refused before any key is used.
 */
export function pqxdhInitiate(
  sodium: Sodium,
  input: { readonly identity: IdentityKeyPair; readonly localAddress: string; readonly bundle: PrekeyBundle },
  random: RandomBytes = systemRandomBytes,
): PqxdhInitiation {
  const { identity, bundle } = input;
  checkBundleShape(bundle);
  if (!verifySignedEcPrekey(sodium, bundle.identityKey, bundle.signedPrekey)) {
    throw new ParleyError(
      'CRYPTO_BAD_SIGNATURE',
      "The contact's signed prekey does not carry their identity's signature, so no session was started.",
    );
  }
  if (!verifySignedKemPrekey(sodium, bundle.identityKey, bundle.kemPrekey)) {
    throw new ParleyError(
      'CRYPTO_BAD_SIGNATURE',
      "The contact's post-quantum prekey does not carry their identity's signature, so no session was started.",
    );
  }
  const remoteIdentityKey = asIdentityPublicKey(bundle.identityKey);
  const remoteIdentityDh = identityDhPublicKey(sodium, remoteIdentityKey);
  const signedPrekey = asDhPublicKey(bundle.signedPrekey.publicKey);
  const ephemeral = generateDhKeyPair(sodium, random);
  const parts: Uint8Array[] = [];
  try {
    parts.push(dh(sodium, identity.dhSecretKey, signedPrekey)); // DH1 = DH(IK_A, SPK_B)
    parts.push(dh(sodium, ephemeral.secretKey, remoteIdentityDh)); // DH2 = DH(EK_A, IK_B)
    parts.push(dh(sodium, ephemeral.secretKey, signedPrekey)); // DH3 = DH(EK_A, SPK_B)
    if (bundle.oneTimePrekey) {
      parts.push(dh(sodium, ephemeral.secretKey, asDhPublicKey(bundle.oneTimePrekey.publicKey))); // DH4
    }
    const kem = kemEncapsulate(asKemPublicKey(bundle.kemPrekey.publicKey), random);
    parts.push(kem.sharedSecret);
    return {
      sharedKey: kdf(sodium, parts),
      associatedData: pqxdhAssociatedData(
        identity.publicKey,
        remoteIdentityKey,
        input.localAddress,
        formatAddress({ userId: bundle.userId, deviceId: bundle.deviceId }),
      ),
      remoteIdentityKey,
      remoteIdentityDhKey: remoteIdentityDh,
      remoteSignedPrekey: signedPrekey,
      baseKey: ephemeral.publicKey,
      signedPrekeyId: bundle.signedPrekey.id,
      oneTimePrekeyId: bundle.oneTimePrekey ? bundle.oneTimePrekey.id : null,
      kemPrekeyId: bundle.kemPrekey.id,
      kemCiphertext: kem.ciphertext,
    };
  } finally {
    // PQXDH §3.3: Alice deletes her ephemeral private key and the DH outputs.
    wipe(sodium, ephemeral.secretKey, ...parts);
  }
}

/**
 * PQXDH §3.4 "Receiving the initial message": the responder repeats the DH and KEM
 * computations with the private halves of the prekeys the initiator named.
 */
export function pqxdhRespond(
  sodium: Sodium,
  input: {
    readonly identity: IdentityKeyPair;
    readonly localAddress: string;
    readonly remoteAddress: string;
    readonly remoteIdentityKey: IdentityPublicKey;
    readonly baseKey: DhPublicKey;
    readonly kemCiphertext: Uint8Array;
    readonly signedPrekey: SignedPrekeyRecord;
    readonly oneTimePrekey: OneTimePrekeyRecord | null;
    readonly kemPrekey: KemPrekeyRecord;
  },
): {
  readonly sharedKey: RootKey;
  readonly associatedData: Uint8Array;
  readonly remoteIdentityDhKey: DhPublicKey;
} {
  const remoteIdentityDh = identityDhPublicKey(sodium, input.remoteIdentityKey);
  const parts: Uint8Array[] = [];
  try {
    parts.push(dh(sodium, input.signedPrekey.keyPair.secretKey, remoteIdentityDh)); // DH1
    parts.push(dh(sodium, input.identity.dhSecretKey, input.baseKey)); // DH2
    parts.push(dh(sodium, input.signedPrekey.keyPair.secretKey, input.baseKey)); // DH3
    if (input.oneTimePrekey) parts.push(dh(sodium, input.oneTimePrekey.keyPair.secretKey, input.baseKey)); // DH4
    parts.push(kemDecapsulate(input.kemPrekey.keyPair.secretKey, input.kemCiphertext));
    return {
      sharedKey: kdf(sodium, parts),
      associatedData: pqxdhAssociatedData(
        input.remoteIdentityKey,
        input.identity.publicKey,
        input.remoteAddress,
        input.localAddress,
      ),
      remoteIdentityDhKey: remoteIdentityDh,
    };
  } finally {
    wipe(sodium, ...parts);
  }
}

/**
 * PQXDH §3.3 AD = Encode(IK_A) ‖ Encode(IK_B), with Parley's Ed25519 identity keys as published,
 * followed (as the spec allows) by both device addresses, each prefixed by its length, so a
 * session is bound to who it was set up between.
 */
export function pqxdhAssociatedData(
  initiatorIdentity: IdentityPublicKey,
  responderIdentity: IdentityPublicKey,
  initiatorAddress: string,
  responderAddress: string,
): Uint8Array {
  const a = encoder.encode(initiatorAddress);
  const b = encoder.encode(responderAddress);
  if (a.length > 255 || b.length > 255) {
    throw new ParleyError('INVALID_ARGUMENT', 'A device address is too long.');
  }
  const ad = new Uint8Array(64 + 2 + a.length + b.length);
  ad.set(initiatorIdentity, 0);
  ad.set(responderIdentity, 32);
  ad[64] = a.length;
  ad.set(a, 65);
  ad[65 + a.length] = b.length;
  ad.set(b, 66 + a.length);
  return ad;
}

/** PQXDH §2.2 KDF(KM) = HKDF-SHA256(salt = 32 zero bytes, IKM = F ‖ KM, info = PQXDH_INFO, 32 bytes). */
function kdf(sodium: Sodium, parts: readonly Uint8Array[]): RootKey {
  let length = KDF_PREFIX.length;
  for (const part of parts) length += part.length;
  const ikm = new Uint8Array(length);
  ikm.set(KDF_PREFIX, 0);
  let offset = KDF_PREFIX.length;
  for (const part of parts) {
    ikm.set(part, offset);
    offset += part.length;
  }
  try {
    return asRootKey(hkdfSha256(sodium, ikm, KDF_SALT, INFO_BYTES, SHARED_KEY_BYTES));
  } finally {
    wipe(sodium, ikm);
  }
}

function checkBundleShape(bundle: PrekeyBundle): void {
  const bad = (what: string) =>
    new ParleyError(
      'WIRE_MALFORMED',
      `The contact's prekey bundle has an invalid ${what}, so no session was started.`,
    );
  if (!bundle || typeof bundle !== 'object') throw bad('format');
  if (!bundle.kemPrekey) {
    throw new ParleyError(
      'CRYPTO_MISSING_PQ_PREKEY',
      "The contact's device published no post-quantum prekey, so no session was started. Ask them to update Parley.",
    );
  }
  if (!(bundle.identityKey instanceof Uint8Array) || bundle.identityKey.length !== ED25519_PUBLIC_BYTES) {
    throw bad('identity key');
  }
  const { signedPrekey, oneTimePrekey, kemPrekey } = bundle;
  if (!signedPrekey)
    throw new ParleyError('CRYPTO_MISSING_PREKEY', "The contact's device has no signed prekey.");
  if (
    !isBytes(signedPrekey.publicKey, X25519_PUBLIC_BYTES) ||
    !isBytes(signedPrekey.signature, ED25519_SIGNATURE_BYTES)
  ) {
    throw bad('signed prekey');
  }
  if (oneTimePrekey && !isBytes(oneTimePrekey.publicKey, X25519_PUBLIC_BYTES)) throw bad('one-time prekey');
  if (
    !isBytes(kemPrekey.publicKey, MLKEM1024_PUBLIC_BYTES) ||
    !isBytes(kemPrekey.signature, ED25519_SIGNATURE_BYTES)
  ) {
    throw bad('post-quantum prekey');
  }
  for (const id of [signedPrekey.id, kemPrekey.id, ...(oneTimePrekey ? [oneTimePrekey.id] : [])]) {
    if (!Number.isInteger(id) || id < 0 || id > 0xffffffff) throw bad('prekey id');
  }
  if (typeof bundle.userId !== 'string' || !Number.isInteger(bundle.deviceId)) throw bad('address');
}

function isBytes(value: unknown, length: number): boolean {
  return value instanceof Uint8Array && value.length === length;
}
