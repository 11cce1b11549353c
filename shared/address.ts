/**
 * Device addresses, `userId.deviceId` as in Signal's Sesame: a user id (opaque, no dots) and a
 * device number of that user, starting at 1.
 */
import { ParleyError } from './errors';

export interface DeviceAddress {
  readonly userId: string;
  readonly deviceId: number;
}

const USER_ID = /^[A-Za-z0-9_-]{1,64}$/;
export const MAX_DEVICE_ID = 2 ** 31 - 1;

export function isUserId(value: unknown): value is string {
  return typeof value === 'string' && USER_ID.test(value);
}

export function formatAddress(address: DeviceAddress): string {
  return `${address.userId}.${address.deviceId}`;
}

export function parseAddress(text: string): DeviceAddress {
  const dot = text.lastIndexOf('.');
  const userId = text.slice(0, dot);
  const deviceText = text.slice(dot + 1);
  const deviceId = Number(deviceText);
  if (dot <= 0 || !isUserId(userId) || !/^[1-9]\d{0,9}$/.test(deviceText) || deviceId > MAX_DEVICE_ID) {
    throw new ParleyError('INVALID_ARGUMENT', 'That is not a device address of the form user.device.');
  }
  return { userId, deviceId };
}
