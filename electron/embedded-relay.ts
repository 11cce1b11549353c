/**
 * The embedded default: with no relay configured, Parley runs a relay in-process on loopback,
 * its SQLite file in the user's data folder, so a fresh install is a working local messenger.
 * If the port already answers as a Parley relay (another local user's Parley), it is shared.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_RELAY_CONFIG, type RelayConfig } from '../relay/config';
import type { Logger } from '../relay/logger';
import { type RelayHandle, startRelay } from '../relay/server';
import { ParleyError } from '../shared/errors';

export const EMBEDDED_RELAY_PORT = 47_800;

export interface EmbeddedRelay {
  readonly url: string;
  close(): Promise<void>;
}

async function answersAsRelay(url: string): Promise<boolean> {
  try {
    const res = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(1_000) });
    const body = (await res.json()) as { status?: string };
    return res.ok && body.status === 'ok';
  } catch {
    return false;
  }
}

export async function startEmbeddedRelay(
  dataDir: string,
  port: number,
  logger: Logger,
): Promise<EmbeddedRelay> {
  const config: RelayConfig = {
    ...DEFAULT_RELAY_CONFIG,
    host: '127.0.0.1',
    port,
    dbPath: join(dataDir, 'relay', 'relay.sqlite'),
    blobDir: join(dataDir, 'relay', 'blobs'),
    openRegistration: true,
    relayId: 'parley-embedded',
    logLevel: 'info',
  };
  mkdirSync(join(dataDir, 'relay'), { recursive: true, mode: 0o700 });
  let relay: RelayHandle;
  try {
    relay = await startRelay(config, { logger });
  } catch (error) {
    const url = `http://127.0.0.1:${port}`;
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE' && (await answersAsRelay(url))) {
      logger.info(
        { event: 'embedded_relay.shared', port },
        'using the Parley relay already running on this machine',
      );
      return { url, close: async () => {} };
    }
    throw new ParleyError(
      'UNAVAILABLE',
      `Could not start the built-in relay on port ${port}: it is in use by another program. Set PARLEY_EMBEDDED_RELAY_PORT to a free port, or PARLEY_RELAY_URL to a relay.`,
      { cause: error },
    );
  }
  return { url: relay.url, close: () => relay.close() };
}
