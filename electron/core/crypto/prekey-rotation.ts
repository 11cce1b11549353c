/**
 * When to rotate and replenish prekeys (PQXDH §3.2: the signed prekey and last-resort KEM prekey
 * are replaced "periodically", one-time prekeys are uploaded again as they are used up).
 * Policy: a signed prekey older than 7 days is replaced; a replaced one stays 30 days for
 * set-up messages still in flight; one-time prekeys are topped up to 100 when the relay holds
 * fewer than 25. Pure functions: the caller supplies the clock and the stored ages.
 */
import type { PrekeyCounts } from '../../../shared/prekeys';
import { LOW_PREKEY_THRESHOLD } from '../../../shared/relay-protocol/limits';

const DAY_MS = 24 * 60 * 60 * 1000;

export const SIGNED_PREKEY_MAX_AGE_MS = 7 * DAY_MS;
export const RETIRED_PREKEY_KEEP_MS = 30 * DAY_MS;
/** The relay warns a device at the same mark (shared/relay-protocol/limits.ts). */
export const ONE_TIME_PREKEY_LOW_WATER = LOW_PREKEY_THRESHOLD;
export const ONE_TIME_PREKEY_TARGET = 100;

/** What a store knows about a signed EC prekey or a last-resort KEM prekey. */
export interface PrekeyAge {
  readonly id: number;
  readonly createdAt: number;
  /** When a newer key replaced it; null for the key currently published. */
  readonly retiredAt: number | null;
}

/** True when there is no current key or the current one is older than 7 days. */
export function isRotationDue(
  current: Pick<PrekeyAge, 'createdAt'> | null | undefined,
  now: number,
): boolean {
  return !current || now - current.createdAt >= SIGNED_PREKEY_MAX_AGE_MS;
}

/** True when a replaced key has been kept the 30 days late set-up messages may need. */
export function isRetiredKeyExpired(retiredAt: number | null, now: number): boolean {
  return retiredAt !== null && now - retiredAt >= RETIRED_PREKEY_KEEP_MS;
}

/** How many one-time prekeys of each kind to generate and upload, given the relay's counts. */
export function oneTimePrekeysToGenerate(relay: PrekeyCounts): PrekeyCounts {
  const topUp = (count: number) =>
    count < ONE_TIME_PREKEY_LOW_WATER ? ONE_TIME_PREKEY_TARGET - Math.max(0, count) : 0;
  return { oneTimePrekeys: topUp(relay.oneTimePrekeys), oneTimeKemPrekeys: topUp(relay.oneTimeKemPrekeys) };
}

export interface PrekeyMaintenance {
  /** Make, upload and store a new signed prekey, then retire the current one. */
  readonly rotateSignedPrekey: boolean;
  /** The same for the last-resort KEM prekey. */
  readonly rotateLastResortKemPrekey: boolean;
  /** Retired keys whose 30 days are over: delete them. */
  readonly deleteSignedPrekeyIds: readonly number[];
  readonly deleteLastResortKemPrekeyIds: readonly number[];
  readonly generate: PrekeyCounts;
}

/** Everything due at `now`, from the stored keys (newest first or in any order) and the relay's counts. */
export function planPrekeyMaintenance(input: {
  readonly signedPrekeys: readonly PrekeyAge[];
  readonly lastResortKemPrekeys: readonly PrekeyAge[];
  readonly relayCounts: PrekeyCounts;
  readonly now: number;
}): PrekeyMaintenance {
  const current = (keys: readonly PrekeyAge[]) =>
    keys.filter((k) => k.retiredAt === null).sort((a, b) => b.createdAt - a.createdAt)[0];
  const expired = (keys: readonly PrekeyAge[]) =>
    keys.filter((k) => isRetiredKeyExpired(k.retiredAt, input.now)).map((k) => k.id);
  return {
    rotateSignedPrekey: isRotationDue(current(input.signedPrekeys), input.now),
    rotateLastResortKemPrekey: isRotationDue(current(input.lastResortKemPrekeys), input.now),
    deleteSignedPrekeyIds: expired(input.signedPrekeys),
    deleteLastResortKemPrekeyIds: expired(input.lastResortKemPrekeys),
    generate: oneTimePrekeysToGenerate(input.relayCounts),
  };
}
