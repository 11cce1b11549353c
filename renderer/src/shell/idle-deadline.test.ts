import { describe, expect, it } from 'vitest';
import { idleDeadline, isIdle } from './idle-deadline';

describe('idle lock', () => {
  it('locks after the chosen minutes and never when set to zero', () => {
    expect(idleDeadline(1000, 5)).toBe(1000 + 300_000);
    expect(idleDeadline(1000, 0)).toBeNull();
    expect(isIdle(1000, 5, 1000 + 299_999)).toBe(false);
    expect(isIdle(1000, 5, 1000 + 300_000)).toBe(true);
    expect(isIdle(1000, 0, Number.MAX_SAFE_INTEGER)).toBe(false);
  });
});
