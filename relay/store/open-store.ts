/**
 * Opens the store a configuration asks for: PostgreSQL when a connection string is set, else
 * SQLite, in a worker thread when the caller names the script to run it (the standalone relay
 * does; an embedded relay keeps SQLite on its own thread).
 */
import type { RelayConfig } from '../config';
import { openPostgresStore } from './postgres-store';
import type { RelayStore } from './relay-store';
import { openSqliteStore } from './sqlite-store';
import { openSqliteWorkerStore } from './sqlite-worker-store';

export async function openRelayStore(
  config: Pick<RelayConfig, 'postgresUrl' | 'dbPath'>,
  options: { readonly sqliteWorkerScript?: string } = {},
): Promise<RelayStore> {
  if (config.postgresUrl) return openPostgresStore(config.postgresUrl);
  if (options.sqliteWorkerScript) return openSqliteWorkerStore(config.dbPath, options.sqliteWorkerScript);
  return openSqliteStore(config.dbPath);
}
