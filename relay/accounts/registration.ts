/**
 * Registration: creates a user and its first device. It needs a one-time invitation (issued by
 * the admin CLI) for that username, unless the relay runs with open registration, which the
 * configuration allows only on loopback; the request must then come from loopback too.
 */
import type { z } from 'zod';
import type { DeviceAddress } from '../../shared/address';
import { ParleyError } from '../../shared/errors';
import type { registerRequestSchema } from '../../shared/relay-protocol/schemas';
import { newRandomId } from '../auth/secret-tokens';
import { isLoopbackHost } from '../config';
import type { RelayStore } from '../store/relay-store';
import { hashInvitationCode, normalizeInvitationCode } from './invitation-code';

export type RegisterRequest = z.output<typeof registerRequestSchema>;

export interface RegistrationDeps {
  readonly store: RelayStore;
  readonly openRegistration: boolean;
  readonly now: () => number;
}

function isLoopbackPeer(address: string | undefined): boolean {
  if (!address) return false;
  return isLoopbackHost(address.startsWith('::ffff:') ? address.slice(7) : address);
}

export async function registerAccount(
  request: RegisterRequest,
  peerAddress: string | undefined,
  deps: RegistrationDeps,
): Promise<DeviceAddress> {
  let invitationCodeHash: Uint8Array | null = null;
  if (request.invitationCode === null) {
    if (!deps.openRegistration || !isLoopbackPeer(peerAddress)) {
      throw new ParleyError(
        'RELAY_REGISTRATION_CLOSED',
        'This relay registers people by invitation only. Ask your administrator for an invitation code.',
      );
    }
  } else {
    const canonical = normalizeInvitationCode(request.invitationCode);
    if (!canonical) {
      throw new ParleyError(
        'RELAY_INVITATION_INVALID',
        'That is not an invitation code: it has 16 letters and digits, like 7K2M-QX9D-R4TB-8HWN.',
      );
    }
    invitationCodeHash = hashInvitationCode(canonical);
  }
  return deps.store.registerUser({
    userId: newRandomId(),
    username: request.username,
    displayName: request.displayName,
    identityKey: request.identityKey,
    invitationCodeHash,
    now: deps.now(),
    actor: invitationCodeHash ? 'invitation' : 'open-registration',
  });
}
