/**
 * What an administrator does to accounts: invite, deactivate, revoke. The CLI runs these against
 * the store directly (a running relay notices through the audit log); a relay in this process
 * also disconnects the affected sockets at once through `onRevoked`.
 */
import { type DeviceAddress, parseAddress } from '../../shared/address';
import { ParleyError } from '../../shared/errors';
import { hashInvitationCode, newInvitationCode, normalizeInvitationCode } from '../accounts/invitation-code';
import type { RelayStore } from '../store/relay-store';

export const DEFAULT_INVITATION_TTL_MS = 7 * 24 * 3_600_000;

export interface AdminActionsDeps {
  readonly store: RelayStore;
  readonly now: () => number;
  /** Who the audit log names as having done it. */
  readonly actor: string;
  readonly onDeviceRevoked?: (address: DeviceAddress) => void;
  readonly onUserDeactivated?: (userId: string) => void;
}

export interface Invitation {
  readonly code: string;
  readonly username: string;
  readonly expiresAt: number;
}

export interface AdminActions {
  createInvitation(username: string, ttlMs?: number): Promise<Invitation>;
  /** By username; false when the user was deactivated already. */
  deactivateUser(username: string): Promise<boolean>;
  /** By `userId.deviceId`; false when the device was revoked already. */
  revokeDevice(address: string | DeviceAddress): Promise<boolean>;
}

const USERNAME = /^[a-z0-9_.-]{3,32}$/;

export function adminActions(deps: AdminActionsDeps): AdminActions {
  return {
    async createInvitation(username, ttlMs = DEFAULT_INVITATION_TTL_MS) {
      if (!USERNAME.test(username)) {
        throw new ParleyError(
          'INVALID_ARGUMENT',
          'A username is 3 to 32 lowercase letters, digits, _ . or -.',
        );
      }
      if (await deps.store.getUserByUsername(username)) {
        throw new ParleyError('RELAY_USERNAME_TAKEN', `The username "${username}" is taken already.`);
      }
      const code = newInvitationCode();
      const now = deps.now();
      const expiresAt = now + ttlMs;
      await deps.store.createInvitation({
        codeHash: hashInvitationCode(normalizeInvitationCode(code)!),
        username,
        createdAt: now,
        expiresAt,
        actor: deps.actor,
      });
      return { code, username, expiresAt };
    },

    async deactivateUser(username) {
      const user = await deps.store.getUserByUsername(username);
      if (!user) throw new ParleyError('NOT_FOUND', `There is no user "${username}" on this relay.`);
      const changed = await deps.store.deactivateUser(user.userId, deps.now(), deps.actor);
      deps.onUserDeactivated?.(user.userId);
      return changed;
    },

    async revokeDevice(target) {
      const address = typeof target === 'string' ? parseAddress(target) : target;
      if (!(await deps.store.getDevice(address))) {
        throw new ParleyError('NOT_FOUND', 'There is no such device on this relay.');
      }
      const changed = await deps.store.revokeDevice(address, deps.now(), deps.actor);
      deps.onDeviceRevoked?.(address);
      return changed;
    },
  };
}
