/**
 * Prekeys to and from their JSON wire form (base64url keys). Parsing back goes through the
 * schemas in schemas.ts, which check every length.
 */
import type { DeviceAddress } from '../address';
import type {
  OneTimeEcPrekey,
  PrekeyBundle,
  PrekeyUpload,
  SignedEcPrekey,
  SignedKemPrekey,
} from '../prekeys';
import { toBase64url } from './base64url';
import type { WirePrekeyBundle, WirePrekeyUpload } from './events';

function signedEc(key: SignedEcPrekey) {
  return { id: key.id, publicKey: toBase64url(key.publicKey), signature: toBase64url(key.signature) };
}

function oneTimeEc(key: OneTimeEcPrekey) {
  return { id: key.id, publicKey: toBase64url(key.publicKey) };
}

function signedKem(key: SignedKemPrekey) {
  return { id: key.id, publicKey: toBase64url(key.publicKey), signature: toBase64url(key.signature) };
}

export function prekeyUploadToWire(upload: PrekeyUpload): WirePrekeyUpload {
  return {
    ...(upload.signedPrekey ? { signedPrekey: signedEc(upload.signedPrekey) } : {}),
    ...(upload.oneTimePrekeys ? { oneTimePrekeys: upload.oneTimePrekeys.map(oneTimeEc) } : {}),
    ...(upload.lastResortKemPrekey ? { lastResortKemPrekey: signedKem(upload.lastResortKemPrekey) } : {}),
    ...(upload.oneTimeKemPrekeys ? { oneTimeKemPrekeys: upload.oneTimeKemPrekeys.map(signedKem) } : {}),
  };
}

export function prekeyBundleToWire(bundle: PrekeyBundle): WirePrekeyBundle {
  return {
    userId: bundle.userId,
    deviceId: bundle.deviceId,
    identityKey: toBase64url(bundle.identityKey),
    signedPrekey: signedEc(bundle.signedPrekey),
    oneTimePrekey: bundle.oneTimePrekey ? oneTimeEc(bundle.oneTimePrekey) : null,
    kemPrekey: signedKem(bundle.kemPrekey),
    kemPrekeyIsLastResort: bundle.kemPrekeyIsLastResort,
  };
}

export function deviceAddressToWire(address: DeviceAddress): { userId: string; deviceId: number } {
  return { userId: address.userId, deviceId: address.deviceId };
}
