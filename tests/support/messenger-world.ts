/**
 * A world for messenger integration tests: a real relay on 127.0.0.1 (its SQLite file in a
 * temporary folder) and real messenger cores, each with its own data folder, encrypted store and
 * socket.io connection, driven through the same handlers the UI calls.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { createDispatcher } from '../../electron/core/api/dispatcher';
import type { CoreFileOptions, CoreLogger, ParleyCore } from '../../electron/core/core';
import { createCore } from '../../electron/core/create-core';
import { loadSodium } from '../../electron/core/crypto';
import { relayClientConnector } from '../../electron/core/messenger/relay-client-connector';
import type { RelayConnector } from '../../electron/core/messenger/relay-port';
import { minimumLimits } from '../../electron/core/store';
import { DEFAULT_RELAY_CONFIG, type RelayConfig } from '../../relay/config';
import { type RelayHandle, startRelay } from '../../relay/server';
import type { ApiArgs, ApiEvent, ApiMethod, ApiReturn, ParleyEvents } from '../../shared/ipc';

export const PASSPHRASE = 'correct horse battery staple';

export interface RecordedEvent {
  readonly event: ApiEvent;
  readonly payload: ParleyEvents[ApiEvent];
}

export interface TestClient {
  readonly name: string;
  readonly dataDir: string;
  core: ParleyCore;
  readonly events: RecordedEvent[];
  call<M extends ApiMethod>(
    method: M,
    ...args: ApiArgs<M> extends undefined ? [] : [ApiArgs<M>]
  ): Promise<ApiReturn<M>>;
  /** Waits until `check` returns something truthy, re-checking after every event. */
  until<T>(
    what: string,
    check: () => T | undefined | null | false | Promise<T | undefined | null | false>,
    timeoutMs?: number,
  ): Promise<T>;
  /** Stops this client's core (like quitting the app). */
  stop(): Promise<void>;
  /** Starts a fresh core on the same data folder (like launching the app again). */
  restart(): Promise<void>;
}

export interface MessengerWorld {
  readonly dir: string;
  relayUrl: string;
  /** A new client, onboarded on the relay (open registration) unless `onboard` is false. */
  client(
    name: string,
    options?: {
      onboard?: boolean;
      connector?: (base: RelayConnector) => RelayConnector;
      /** The core's clock (ms since the epoch), for tests that move time. */
      clock?: () => number;
      /** File rules, saver and tuning for this client's core. */
      files?: CoreFileOptions;
    },
  ): Promise<TestClient>;
  /** The running relay (for tests that play its operator). */
  relay(): RelayHandle;
  stopRelay(): Promise<void>;
  startRelay(): Promise<void>;
  close(): Promise<void>;
}

const quiet: CoreLogger = { info() {}, warn() {}, error() {} };

export interface WorldOptions {
  /** Write the relay's log, at its most verbose, to this file (default: no log). */
  readonly relayLogFile?: string;
  /** Settings of the relay that differ from the defaults (e.g. a larger blob limit). */
  readonly relay?: Partial<RelayConfig>;
}

export async function messengerWorld(options: WorldOptions = {}): Promise<MessengerWorld> {
  const dir = mkdtempSync(join(tmpdir(), 'parley-messenger-'));
  const sodium = await loadSodium();
  const limits = minimumLimits(sodium);
  const clients: TestClient[] = [];
  const relayConfig = (port: number): RelayConfig => ({
    ...DEFAULT_RELAY_CONFIG,
    host: '127.0.0.1',
    port,
    dbPath: join(dir, 'relay.sqlite'),
    blobDir: join(dir, 'blobs'),
    openRegistration: true,
    logLevel: options.relayLogFile ? 'trace' : 'silent',
    ...options.relay,
  });
  const relayLogger = () =>
    options.relayLogFile
      ? pino({ level: 'trace' }, pino.destination({ dest: options.relayLogFile, sync: true, append: true }))
      : pino({ level: 'silent' });
  let relay: RelayHandle | null = await startRelay(relayConfig(0), { logger: relayLogger() });
  const port = relay.port;

  const world: MessengerWorld = {
    dir,
    relayUrl: relay.url,
    async client(name, options = {}) {
      const dataDir = join(dir, name);
      mkdirSync(dataDir, { recursive: true });
      const events: RecordedEvent[] = [];
      const waiters = new Set<() => void>();
      const base = relayClientConnector(quiet);
      const connector = options.connector ? options.connector(base) : base;
      const boot = async () => {
        const core = await createCore({
          dataDir,
          defaultRelayUrl: world.relayUrl,
          appVersion: '0.0.0-test',
          logger: quiet,
          relays: connector,
          pwhashLimits: limits,
          ...(options.clock ? { clock: options.clock } : {}),
          ...(options.files ? { files: options.files } : {}),
        });
        core.events.subscribe((event, payload) => {
          events.push({ event, payload });
          for (const wake of waiters) wake();
        });
        return core;
      };
      const client: TestClient = {
        name,
        dataDir,
        core: await boot(),
        events,
        async call(method, ...args) {
          const result = await createDispatcher(client.core.handlers, quiet)(method, args[0]);
          if (!result.ok)
            throw Object.assign(
              new Error(`${method}: ${result.error.code}: ${result.error.message}`),
              result.error,
            );
          return result.value as never;
        },
        until(what, check, timeoutMs = 20_000) {
          return new Promise((resolve, reject) => {
            const deadline = setTimeout(() => {
              waiters.delete(attempt);
              clearInterval(poll);
              reject(new Error(`${name}: timed out waiting for ${what}`));
            }, timeoutMs);
            // Events wake the check; a slow poll covers state that changes without one.
            const poll = setInterval(() => attempt(), 200);
            let checking = false;
            const attempt = () => {
              if (checking) return;
              checking = true;
              Promise.resolve(check())
                .then((value) => {
                  checking = false;
                  if (!value) return;
                  clearTimeout(deadline);
                  clearInterval(poll);
                  waiters.delete(attempt);
                  resolve(value);
                })
                .catch((error: unknown) => {
                  checking = false;
                  clearTimeout(deadline);
                  clearInterval(poll);
                  waiters.delete(attempt);
                  reject(error);
                });
            };
            waiters.add(attempt);
            attempt();
          });
        },
        async stop() {
          await client.core.close();
        },
        async restart() {
          client.core = await boot();
        },
      };
      clients.push(client);
      if (options.onboard !== false) {
        await client.call('account.create', {
          relayUrl: world.relayUrl,
          username: name,
          displayName: name[0]!.toUpperCase() + name.slice(1),
          invitationCode: null,
          passphrase: PASSPHRASE,
        });
        await client.until('online', async () => (await client.call('app.state')).connection === 'online');
      }
      return client;
    },
    relay() {
      if (!relay) throw new Error('the relay is stopped');
      return relay;
    },
    async stopRelay() {
      await relay?.close();
      relay = null;
    },
    async startRelay() {
      relay = await startRelay(relayConfig(port), { logger: relayLogger() });
    },
    async close() {
      for (const c of clients) await c.core.close().catch(() => {});
      await relay?.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return world;
}

/** Opens (or finds) the chat between two clients from `from`'s side and returns its id. */
export async function chatBetween(from: TestClient, to: TestClient): Promise<string> {
  const users = await from.call('directory.search', { query: to.name });
  const user = users.find((u) => u.username === to.name);
  if (!user) throw new Error(`${to.name} is not in the directory`);
  return (await from.call('conversation.open', { userId: user.userId })).id;
}

/** The texts of a conversation as `client` sees them, oldest first. */
export async function textsOf(client: TestClient, conversationId: string): Promise<string[]> {
  const texts: string[] = [];
  let before: string | null = null;
  do {
    const page: ApiReturn<'conversation.messages'> = await client.call('conversation.messages', {
      conversationId,
      before,
      limit: 200,
    });
    texts.unshift(...page.messages.filter((m) => m.kind === 'text').map((m) => m.text));
    before = page.olderCursor;
  } while (before !== null);
  return texts;
}

/** The conversation `client` has with the user named `peer`, once it exists. */
export async function conversationWith(client: TestClient, peerName: string): Promise<string> {
  return client.until(`a conversation with ${peerName}`, async () => {
    const list = await client.call('conversation.list');
    return list.find((c) => c.title.toLowerCase() === peerName.toLowerCase())?.id;
  });
}
