import { describe, expect, it } from 'vitest';
import { AVATAR_COLOURS, avatarColour, initialsOf } from './avatar-look';

function luminance(hex: string): number {
  const channels = [1, 3, 5].map((i) => Number.parseInt(hex.slice(i, i + 2), 16) / 255);
  const [r, g, b] = channels.map((c) => (c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4)) as [
    number,
    number,
    number,
  ];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

describe('avatar look', () => {
  it('takes the first and last initials of a name', () => {
    expect(initialsOf('Alice Martin')).toBe('AM');
    expect(initialsOf('bob')).toBe('B');
    expect(initialsOf('Jean-Luc de la Tour')).toBe('JT');
    expect(initialsOf('  élodie  ')).toBe('É');
    expect(initialsOf('(Ops) Team')).toBe('OT');
    expect(initialsOf('')).toBe('?');
    expect(initialsOf('🙂')).toBe('?');
  });

  it('gives a person the same colour every time', () => {
    expect(avatarColour('user-123')).toBe(avatarColour('user-123'));
    const spread = new Set(Array.from({ length: 200 }, (_, i) => avatarColour(`user-${i}`)));
    expect(spread.size).toBe(AVATAR_COLOURS.length);
  });

  it('keeps white initials readable on every colour (AA, 4.5:1)', () => {
    for (const colour of AVATAR_COLOURS) {
      const ratio = (1 + 0.05) / (luminance(colour) + 0.05);
      expect(ratio, colour).toBeGreaterThanOrEqual(4.5);
    }
  });
});
