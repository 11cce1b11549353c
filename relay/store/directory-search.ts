/**
 * Directory search matches a prefix of the username, of the display name, or of any word of the
 * display name ("smi" finds "Alice Smith"), case-insensitively. Both stores use LIKE patterns
 * with `\` as the escape character, so a query's own % and _ match literally.
 */
export function likePrefixPatterns(query: string): [start: string, wordStart: string] {
  const escaped = query
    .trim()
    .toLowerCase()
    .replace(/[\\%_]/g, (c) => `\\${c}`);
  return [`${escaped}%`, `% ${escaped}%`];
}
