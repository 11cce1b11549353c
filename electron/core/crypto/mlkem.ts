/**
 * ML-KEM-1024 (FIPS 203) from @noble/post-quantum, the PQKEM of PQXDH (§2.1, §2.2 PQKEM-ENC and
 * PQKEM-DEC). Randomness comes from our source so that all key material has one origin.
 */
import { ml_kem1024 } from '@noble/post-quantum/ml-kem.js';
import { ParleyError } from '../../../shared/errors';
import type { KemKeyPair, KemPublicKey, KemSecretKey } from './keys';
import { KEM_CIPHERTEXT_BYTES } from './keys';
import { type RandomBytes, systemRandomBytes } from './random';

const KEYGEN_SEED_BYTES = 64;
const ENCAPSULATION_RANDOM_BYTES = 32;

export function generateKemKeyPair(random: RandomBytes = systemRandomBytes): KemKeyPair {
  const seed = random(KEYGEN_SEED_BYTES);
  const { publicKey, secretKey } = ml_kem1024.keygen(seed);
  seed.fill(0);
  return { publicKey: publicKey as KemPublicKey, secretKey: secretKey as KemSecretKey };
}

/** PQXDH §2.2 (CT, SS) = PQKEM-ENC(PK). Refuses a malformed encapsulation key with a typed error. */
export function kemEncapsulate(
  publicKey: KemPublicKey,
  random: RandomBytes = systemRandomBytes,
): { ciphertext: Uint8Array; sharedSecret: Uint8Array } {
  const coins = random(ENCAPSULATION_RANDOM_BYTES);
  try {
    const { cipherText, sharedSecret } = ml_kem1024.encapsulate(publicKey, coins);
    return { ciphertext: cipherText, sharedSecret };
  } catch (cause) {
    throw new ParleyError(
      'CRYPTO_INVALID_KEY',
      "The contact's post-quantum prekey is not a valid ML-KEM-1024 key. Ask them to update Parley.",
      { cause },
    );
  } finally {
    coins.fill(0);
  }
}

/**
 * PQXDH §2.2 SS = PQKEM-DEC(PK, CT). ML-KEM decapsulation never fails on a wrong ciphertext (it
 * returns an unrelated secret, so the session's first AEAD check fails); only bad lengths throw.
 */
export function kemDecapsulate(secretKey: KemSecretKey, ciphertext: Uint8Array): Uint8Array {
  if (ciphertext.length !== KEM_CIPHERTEXT_BYTES) {
    throw new ParleyError(
      'WIRE_BAD_LENGTH',
      'The post-quantum part of a session set-up has the wrong length.',
    );
  }
  try {
    return ml_kem1024.decapsulate(ciphertext, secretKey);
  } catch (cause) {
    throw new ParleyError(
      'CRYPTO_INVALID_KEY',
      'A stored post-quantum prekey is damaged and cannot be used.',
      {
        cause,
      },
    );
  }
}
