/**
 * Checks an upload's signatures before the relay stores it (PQXDH §2.5 / X3DH §2.5): the
 * device's Ed25519 identity key signs EncodeEC of its signed prekey and EncodeKEM of each KEM
 * prekey. The relay cannot make a bundle safe (clients check signatures themselves), but it
 * refuses garbage so that a bad upload fails where it happens, not at a peer's first message.
 */
import { ParleyError } from '../../shared/errors';
import { encodeEC, encodeKEM, type PrekeyUpload } from '../../shared/prekeys';
import type { Sodium } from '../auth/sodium';

export function checkPrekeySignatures(upload: PrekeyUpload, identityKey: Uint8Array, sodium: Sodium): void {
  const check = (signature: Uint8Array, message: Uint8Array, what: string) => {
    if (!sodium.crypto_sign_verify_detached(signature, message, identityKey)) {
      throw new ParleyError(
        'CRYPTO_BAD_SIGNATURE',
        `The signature on ${what} does not match this device's identity key; nothing was stored.`,
      );
    }
  };
  if (upload.signedPrekey)
    check(upload.signedPrekey.signature, encodeEC(upload.signedPrekey.publicKey), 'the signed prekey');
  if (upload.lastResortKemPrekey) {
    const k = upload.lastResortKemPrekey;
    check(k.signature, encodeKEM(k.publicKey), 'the last-resort KEM prekey');
  }
  for (const k of upload.oneTimeKemPrekeys ?? []) {
    check(k.signature, encodeKEM(k.publicKey), `one-time KEM prekey ${k.id}`);
  }
}
