/**
 * X25519 key pairs and Diffie-Hellman (X3DH/PQXDH §2.2 DH, Double Ratchet §3.1 GENERATE_DH and
 * DH), with libsodium's crypto_scalarmult.
 */
import { ParleyError } from '../../../shared/errors';
import type { DhKeyPair, DhPublicKey, DhSecretKey } from './keys';
import { DH_KEY_BYTES } from './keys';
import { type RandomBytes, systemRandomBytes } from './random';
import type { Sodium } from './sodium';

/** Double Ratchet §3.1 GENERATE_DH: a fresh X25519 key pair (X25519 clamps the scalar itself). */
export function generateDhKeyPair(sodium: Sodium, random: RandomBytes = systemRandomBytes): DhKeyPair {
  const secretKey = random(DH_KEY_BYTES) as DhSecretKey;
  const publicKey = sodium.crypto_scalarmult_base(secretKey) as DhPublicKey;
  return { publicKey, secretKey };
}

/** The public half of an X25519 secret key. */
export function dhPublicKeyOf(sodium: Sodium, secretKey: DhSecretKey): DhPublicKey {
  return sodium.crypto_scalarmult_base(secretKey) as DhPublicKey;
}

/**
 * Double Ratchet §3.1 DH / PQXDH §2.2 DH(PK1, PK2): the X25519 shared secret. libsodium refuses
 * a low-order public key (an all-zero result); that becomes a typed error.
 */
export function dh(sodium: Sodium, secretKey: DhSecretKey, publicKey: DhPublicKey): Uint8Array {
  try {
    return sodium.crypto_scalarmult(secretKey, publicKey);
  } catch (cause) {
    throw new ParleyError(
      'CRYPTO_INVALID_KEY',
      'A key from the other device cannot be used for encryption. Ask them to update Parley or reinstall.',
      { cause },
    );
  }
}
