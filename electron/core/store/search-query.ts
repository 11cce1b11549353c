/**
 * Turns what a person types into an FTS5 query, never passing their text through as FTS5 syntax
 * (a stray quote or a bare AND would be a syntax error or an operator). Words are all required;
 * "two words" in double quotes is a phrase; a word ending in * is a prefix.
 */
export const MAX_SEARCH_TERMS = 8;
export const MAX_SEARCH_CHARS = 256;

const SEARCHABLE = /[\p{L}\p{N}]/u;

export interface SearchTerm {
  readonly text: string;
  readonly prefix: boolean;
}

export function parseSearchQuery(input: string): SearchTerm[] {
  const terms: SearchTerm[] = [];
  const query = input.normalize('NFC').slice(0, MAX_SEARCH_CHARS);
  // A quoted phrase (the closing quote may be missing while typing), or a run without spaces.
  const pattern = /"([^"]*)"?(\*?)|(\S+)/gu;
  for (const match of query.matchAll(pattern)) {
    const quoted = match[1];
    const raw = quoted ?? match[3] ?? '';
    const prefix = quoted !== undefined ? match[2] === '*' || raw.trimEnd().endsWith('*') : raw.endsWith('*');
    const text = raw
      .replace(/\*+\s*$/u, '')
      .replace(/"/g, ' ')
      .trim();
    if (!SEARCHABLE.test(text)) continue;
    terms.push({ text, prefix });
    if (terms.length === MAX_SEARCH_TERMS) break;
  }
  return terms;
}

/** The FTS5 MATCH expression for the terms: each one a quoted string, implicitly ANDed. */
export function toFts5Query(terms: readonly SearchTerm[]): string {
  return terms.map((term) => `"${term.text.replace(/"/g, '""')}"${term.prefix ? '*' : ''}`).join(' ');
}
