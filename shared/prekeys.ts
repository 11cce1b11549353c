/**
 * Public prekey material as the relay stores and serves it, shared by the client (which signs
 * and consumes it) and the relay (which checks signatures on upload and hands out bundles).
 * Signatures follow PQXDH §2.5 / X3DH §2.5: the identity key signs Encode(PK), where EncodeEC
 * prefixes a Curve25519 key with 0x05 and EncodeKEM prefixes an ML-KEM-1024 key with 0x08.
 */
export const X25519_PUBLIC_BYTES = 32;
export const ED25519_PUBLIC_BYTES = 32;
export const ED25519_SIGNATURE_BYTES = 64;
export const MLKEM1024_PUBLIC_BYTES = 1568;
export const MLKEM1024_CIPHERTEXT_BYTES = 1568;

export const EC_KEY_TYPE = 0x05;
export const KEM_KEY_TYPE_MLKEM1024 = 0x08;

/** PQXDH §2.5 EncodeEC: one type byte 0x05, then the 32-byte X25519 public key. */
export function encodeEC(publicKey: Uint8Array): Uint8Array {
  const out = new Uint8Array(1 + publicKey.length);
  out[0] = EC_KEY_TYPE;
  out.set(publicKey, 1);
  return out;
}

/** PQXDH §2.5 EncodeKEM: one type byte 0x08 (ML-KEM-1024), then the encapsulation key. */
export function encodeKEM(publicKey: Uint8Array): Uint8Array {
  const out = new Uint8Array(1 + publicKey.length);
  out[0] = KEM_KEY_TYPE_MLKEM1024;
  out.set(publicKey, 1);
  return out;
}

export interface SignedEcPrekey {
  readonly id: number;
  readonly publicKey: Uint8Array; // X25519, 32 bytes
  readonly signature: Uint8Array; // Ed25519 over encodeEC(publicKey)
}

export interface OneTimeEcPrekey {
  readonly id: number;
  readonly publicKey: Uint8Array; // X25519, 32 bytes
}

export interface SignedKemPrekey {
  readonly id: number;
  readonly publicKey: Uint8Array; // ML-KEM-1024 encapsulation key, 1568 bytes
  readonly signature: Uint8Array; // Ed25519 over encodeKEM(publicKey)
}

/** What a device uploads; any part may be omitted on a replenishing upload. */
export interface PrekeyUpload {
  readonly signedPrekey?: SignedEcPrekey;
  readonly oneTimePrekeys?: readonly OneTimeEcPrekey[];
  readonly lastResortKemPrekey?: SignedKemPrekey;
  readonly oneTimeKemPrekeys?: readonly SignedKemPrekey[];
}

/** One device's bundle, as fetched by an initiator (PQXDH §3.2). */
export interface PrekeyBundle {
  readonly userId: string;
  readonly deviceId: number;
  readonly identityKey: Uint8Array; // Ed25519 public key, 32 bytes
  readonly signedPrekey: SignedEcPrekey;
  /** Absent when the device ran out of one-time prekeys. */
  readonly oneTimePrekey: OneTimeEcPrekey | null;
  /** A one-time KEM prekey when one is left, else the last-resort KEM prekey. */
  readonly kemPrekey: SignedKemPrekey;
  readonly kemPrekeyIsLastResort: boolean;
}

export interface PrekeyCounts {
  readonly oneTimePrekeys: number;
  readonly oneTimeKemPrekeys: number;
}
