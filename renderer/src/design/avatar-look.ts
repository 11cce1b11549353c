/**
 * What an avatar without a picture shows: up to two initials on a colour chosen from the
 * person's id, so the same person keeps the same colour everywhere. Every colour carries white
 * text at better than 4.5:1 (WCAG AA for small text).
 */
export const AVATAR_COLOURS = [
  '#2f5fc4',
  '#7a3fb5',
  '#a8326b',
  '#b23a2a',
  '#8a5a00',
  '#2e7031',
  '#0b6e74',
  '#5a5f6b',
] as const;

export function initialsOf(name: string): string {
  const words = name
    .trim()
    .split(/[\s._-]+/)
    .filter((w) => /[\p{L}\p{N}]/u.test(w));
  const letters = words.map((w) => firstGrapheme(w.replace(/^[^\p{L}\p{N}]+/u, '')));
  if (letters.length === 0) return '?';
  const first = letters[0] ?? '';
  const last = letters.length > 1 ? (letters[letters.length - 1] ?? '') : '';
  return (first + last).toLocaleUpperCase();
}

export function avatarColour(id: string): string {
  // FNV-1a: a stable, well-spread hash with no dependency.
  let hash = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) {
    hash ^= id.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return AVATAR_COLOURS[hash % AVATAR_COLOURS.length]!;
}

function firstGrapheme(word: string): string {
  return Array.from(word)[0] ?? '';
}
