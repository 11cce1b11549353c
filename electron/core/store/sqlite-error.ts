/** Recognises SQLite's errors by their extended code (better-sqlite3's `SqliteError.code`). */
export function sqliteCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' && code.startsWith('SQLITE_') ? code : undefined;
}

export function isConstraintError(error: unknown, kind?: 'UNIQUE' | 'PRIMARYKEY' | 'FOREIGNKEY'): boolean {
  const code = sqliteCode(error);
  if (code === undefined || !code.startsWith('SQLITE_CONSTRAINT')) return false;
  return kind === undefined || code === `SQLITE_CONSTRAINT_${kind}`;
}
