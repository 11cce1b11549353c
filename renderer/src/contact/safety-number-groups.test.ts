import { describe, expect, it } from 'vitest';
import { groupSafetyNumber } from './safety-number-groups';

describe('groupSafetyNumber', () => {
  it('splits 60 digits into 12 groups of five', () => {
    const digits = Array.from({ length: 60 }, (_, i) => String(i % 10)).join('');
    const groups = groupSafetyNumber(digits);
    expect(groups).toHaveLength(12);
    expect(groups.every((g) => /^\d{5}$/.test(g))).toBe(true);
    expect(groups.join('')).toBe(digits);
  });

  it('ignores spacing already present', () => {
    expect(groupSafetyNumber('12345 67890\n11111')).toEqual(['12345', '67890', '11111']);
  });
});
