/** Opens the store a configuration asks for: PostgreSQL when a connection string is set, else SQLite. */
import type { RelayConfig } from '../config';
import { openPostgresStore } from './postgres-store';
import type { RelayStore } from './relay-store';
import { openSqliteStore } from './sqlite-store';

export async function openRelayStore(
  config: Pick<RelayConfig, 'postgresUrl' | 'dbPath'>,
): Promise<RelayStore> {
  if (config.postgresUrl) return openPostgresStore(config.postgresUrl);
  return openSqliteStore(config.dbPath);
}
