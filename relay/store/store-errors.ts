/** Errors the stores raise for expected conditions, with sentences a person can act on. */
import { ParleyError } from '../../shared/errors';

export const usernameTaken = () =>
  new ParleyError('RELAY_USERNAME_TAKEN', 'That username is taken. Choose another one.');

export const invitationInvalid = () =>
  new ParleyError(
    'RELAY_INVITATION_INVALID',
    'That invitation code is not valid for this username: it may be mistyped, used already or expired. Ask your administrator for a new one.',
  );

export const identityKeyTaken = () =>
  new ParleyError('CONFLICT', 'This device key is registered already. Create a new device key.');

export const unknownDevice = () =>
  new ParleyError('RELAY_UNKNOWN_DEVICE', 'This device is not registered on the relay, or was revoked.');

export const userInactive = () =>
  new ParleyError('RELAY_USER_DEACTIVATED', 'This account was deactivated by its administrator.');

export const noSuchUser = () => new ParleyError('NOT_FOUND', 'There is no such user on this relay.');

export const tooManyPrekeys = () =>
  new ParleyError(
    'INVALID_ARGUMENT',
    'The relay holds as many one-time prekeys for this device as it keeps; upload more when the count falls.',
  );

/** One-time prekeys a device may keep on the relay, per kind (bounds what one device can store). */
export const MAX_STORED_ONE_TIME_PREKEYS = 2000;
export const MAX_STORED_ONE_TIME_KEM_PREKEYS = 500;
