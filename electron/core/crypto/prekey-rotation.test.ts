/** The prekey rotation and replenishment policy. */
import { describe, expect, it } from 'vitest';
import {
  isRetiredKeyExpired,
  isRotationDue,
  ONE_TIME_PREKEY_TARGET,
  oneTimePrekeysToGenerate,
  planPrekeyMaintenance,
  RETIRED_PREKEY_KEEP_MS,
  SIGNED_PREKEY_MAX_AGE_MS,
} from './prekey-rotation';

const DAY = 24 * 60 * 60 * 1000;
const NOW = 1_700_000_000_000;

describe('prekey rotation policy', () => {
  it('replaces a signed prekey once it is 7 days old, or when there is none', () => {
    expect(SIGNED_PREKEY_MAX_AGE_MS).toBe(7 * DAY);
    expect(isRotationDue({ createdAt: NOW - 7 * DAY + 1 }, NOW)).toBe(false);
    expect(isRotationDue({ createdAt: NOW - 7 * DAY }, NOW)).toBe(true);
    expect(isRotationDue(null, NOW)).toBe(true);
  });

  it('keeps a replaced key 30 days, then lets it go', () => {
    expect(RETIRED_PREKEY_KEEP_MS).toBe(30 * DAY);
    expect(isRetiredKeyExpired(null, NOW)).toBe(false);
    expect(isRetiredKeyExpired(NOW - 30 * DAY + 1, NOW)).toBe(false);
    expect(isRetiredKeyExpired(NOW - 30 * DAY, NOW)).toBe(true);
  });

  it('tops one-time prekeys up to 100 when the relay holds fewer than 25', () => {
    expect(oneTimePrekeysToGenerate({ oneTimePrekeys: 25, oneTimeKemPrekeys: 24 })).toEqual({
      oneTimePrekeys: 0,
      oneTimeKemPrekeys: ONE_TIME_PREKEY_TARGET - 24,
    });
    expect(oneTimePrekeysToGenerate({ oneTimePrekeys: 0, oneTimeKemPrekeys: 100 })).toEqual({
      oneTimePrekeys: 100,
      oneTimeKemPrekeys: 0,
    });
  });

  it('plans everything that is due', () => {
    const plan = planPrekeyMaintenance({
      signedPrekeys: [
        { id: 3, createdAt: NOW - 8 * DAY, retiredAt: null },
        { id: 2, createdAt: NOW - 20 * DAY, retiredAt: NOW - 8 * DAY },
        { id: 1, createdAt: NOW - 60 * DAY, retiredAt: NOW - 31 * DAY },
      ],
      lastResortKemPrekeys: [{ id: 5, createdAt: NOW - DAY, retiredAt: null }],
      relayCounts: { oneTimePrekeys: 30, oneTimeKemPrekeys: 3 },
      now: NOW,
    });
    expect(plan).toEqual({
      rotateSignedPrekey: true,
      rotateLastResortKemPrekey: false,
      deleteSignedPrekeyIds: [1],
      deleteLastResortKemPrekeyIds: [],
      generate: { oneTimePrekeys: 0, oneTimeKemPrekeys: 97 },
    });
  });
});
