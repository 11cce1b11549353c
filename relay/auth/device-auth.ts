/**
 * Device authentication: the relay sends a fresh nonce; the device signs the agreed proof
 * message (shared/relay-protocol/auth-proof.ts) with its Ed25519 identity key; the relay checks
 * the signature against the registered key, the device's standing and the clock window. A nonce
 * is good for one attempt: a replayed or second proof on a connection fails.
 */
import { randomBytes } from 'node:crypto';
import type { DeviceAddress } from '../../shared/address';
import { ParleyError } from '../../shared/errors';
import { type AuthProofFields, encodeAuthProof } from '../../shared/relay-protocol/auth-proof';
import { AUTH_CLOCK_SKEW_MS } from '../../shared/relay-protocol/events';
import { AUTH_NONCE_BYTES } from '../../shared/relay-protocol/limits';
import type { RelayStore } from '../store/relay-store';
import type { Sodium } from './sodium';

export function newAuthNonce(): Uint8Array {
  return new Uint8Array(randomBytes(AUTH_NONCE_BYTES));
}

export interface ProofToCheck {
  readonly address: DeviceAddress;
  readonly time: number;
  readonly signature: Uint8Array;
}

export interface DeviceAuthDeps {
  readonly store: RelayStore;
  readonly sodium: Sodium;
  readonly relayId: string;
  readonly now: () => number;
}

const failed = (why: string) =>
  new ParleyError('RELAY_AUTH_FAILED', `The relay could not authenticate this device: ${why}.`);

/** Resolves when the proof is good; throws a ParleyError saying why not otherwise. */
export async function checkDeviceProof(
  nonce: Uint8Array,
  proof: ProofToCheck,
  deps: DeviceAuthDeps,
): Promise<void> {
  const skew = proof.time - deps.now();
  if (Math.abs(skew) > AUTH_CLOCK_SKEW_MS) {
    throw failed(
      `its clock is ${Math.round(Math.abs(skew) / 60_000)} minutes ${skew > 0 ? 'ahead' : 'behind'}; set the time and try again`,
    );
  }
  const device = await deps.store.getDevice(proof.address);
  if (!device) {
    throw new ParleyError(
      'RELAY_UNKNOWN_DEVICE',
      'This device is not registered on this relay. Register it again.',
    );
  }
  if (device.userStatus !== 'active') {
    throw new ParleyError('RELAY_USER_DEACTIVATED', 'This account was deactivated by its administrator.');
  }
  if (device.revokedAt !== null) {
    throw new ParleyError(
      'RELAY_DEVICE_REVOKED',
      'This device was removed from its account. Register it again.',
    );
  }
  const fields: AuthProofFields = { nonce, relayId: deps.relayId, time: proof.time };
  if (
    !deps.sodium.crypto_sign_verify_detached(proof.signature, encodeAuthProof(fields), device.identityKey)
  ) {
    throw failed('the signature does not match its identity key');
  }
}
