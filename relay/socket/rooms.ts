/**
 * socket.io rooms: one per device and one per user, so that the relay can reach (and cut off)
 * a device or all of a user's devices on whichever node they are connected.
 */
import type { DeviceAddress } from '../../shared/address';

export function deviceRoom(address: DeviceAddress): string {
  return `d:${address.userId}.${address.deviceId}`;
}

export function userRoom(userId: string): string {
  return `u:${userId}`;
}
