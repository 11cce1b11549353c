/**
 * A test world around a real relay: the relay on 127.0.0.1 port 0 with its SQLite file and blob
 * folder in a temporary directory, its log lines captured, and devices that are real
 * RelayClients with real Ed25519 identity keys (libsodium). `close()` stops everything and
 * removes the folder.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import sodiumModule from 'libsodium-wrappers-sumo';
import { pino } from 'pino';
import { RelayClient, type RelayClientOptions } from '../../electron/core/relay-client/relay-client';
import { DEFAULT_RELAY_CONFIG, type RelayConfig } from '../../relay/config';
import { type RelayHandle, startRelay } from '../../relay/server';
import type { DeviceAddress } from '../../shared/address';
import {
  encodeEC,
  encodeKEM,
  MLKEM1024_PUBLIC_BYTES,
  type PrekeyUpload,
  X25519_PUBLIC_BYTES,
} from '../../shared/prekeys';

export type Sodium = typeof sodiumModule;

export interface LogLine {
  readonly level: number;
  readonly event?: string;
  readonly code?: string;
  readonly msg?: string;
  readonly [field: string]: unknown;
}

export interface IdentityKeys {
  readonly publicKey: Uint8Array;
  readonly privateKey: Uint8Array;
  sign(message: Uint8Array): Uint8Array;
}

export interface TestDevice {
  readonly client: RelayClient;
  readonly address: DeviceAddress;
  readonly username: string;
  readonly keys: IdentityKeys;
}

export interface RelayWorld {
  readonly relay: RelayHandle;
  readonly url: string;
  readonly dir: string;
  readonly sodium: Sodium;
  readonly logs: LogLine[];
  /** Registers a new user (open registration) and returns its first device, connected. */
  device(options?: { username?: string; displayName?: string; connect?: boolean }): Promise<TestDevice>;
  /** A client for an existing address and key (for a second connection of the same device). */
  client(keys: IdentityKeys, options?: Partial<RelayClientOptions>): RelayClient;
  newKeys(): IdentityKeys;
  /** Log lines with this event name. */
  logged(event: string): LogLine[];
  close(): Promise<void>;
}

export async function loadTestSodium(): Promise<Sodium> {
  await sodiumModule.ready;
  return sodiumModule;
}

export function identityKeys(sodium: Sodium): IdentityKeys {
  const pair = sodium.crypto_sign_keypair();
  return {
    publicKey: pair.publicKey,
    privateKey: pair.privateKey,
    sign: (message) => sodium.crypto_sign_detached(message, pair.privateKey),
  };
}

/** A valid prekey upload (signatures by `keys`); the public keys are random bytes of the right size. */
export function signedPrekeys(
  sodium: Sodium,
  keys: IdentityKeys,
  options: {
    firstId?: number;
    oneTime?: number;
    oneTimeKem?: number;
    signed?: boolean;
    lastResort?: boolean;
  } = {},
): PrekeyUpload {
  const first = options.firstId ?? 1;
  const ec = () => sodium.randombytes_buf(X25519_PUBLIC_BYTES);
  const kem = () => sodium.randombytes_buf(MLKEM1024_PUBLIC_BYTES);
  const signedKem = (id: number) => {
    const publicKey = kem();
    return { id, publicKey, signature: keys.sign(encodeKEM(publicKey)) };
  };
  const signedPublic = ec();
  return {
    ...(options.signed === false
      ? {}
      : {
          signedPrekey: { id: first, publicKey: signedPublic, signature: keys.sign(encodeEC(signedPublic)) },
        }),
    ...(options.lastResort === false ? {} : { lastResortKemPrekey: signedKem(1_000_000 + first) }),
    oneTimePrekeys: Array.from({ length: options.oneTime ?? 5 }, (_, i) => ({
      id: first + i,
      publicKey: ec(),
    })),
    oneTimeKemPrekeys: Array.from({ length: options.oneTimeKem ?? 5 }, (_, i) => signedKem(first + i)),
  };
}

export async function startRelayWorld(
  overrides: Partial<RelayConfig> = {},
  deps: { now?: () => number; keepLogs?: boolean } = {},
): Promise<RelayWorld> {
  const sodium = await loadTestSodium();
  const dir = mkdtempSync(join(tmpdir(), 'parley-relay-world-'));
  const logs: LogLine[] = [];
  // keepLogs: false keeps no lines (a test that measures memory must not grow it with logs).
  const keep = deps.keepLogs ?? true;
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      if (keep)
        for (const line of chunk.toString().split('\n')) if (line) logs.push(JSON.parse(line) as LogLine);
      done();
    },
  });
  const logger = pino({ level: 'debug' }, sink);
  const config: RelayConfig = {
    ...DEFAULT_RELAY_CONFIG,
    host: '127.0.0.1',
    port: 0,
    dbPath: join(dir, 'relay.sqlite'),
    blobDir: join(dir, 'blobs'),
    openRegistration: true,
    relayId: 'relay-test',
    ...overrides,
  };
  const relay = await startRelay(config, { logger, ...(deps.now ? { now: deps.now } : {}) });
  const clients: RelayClient[] = [];
  let users = 0;

  const world: RelayWorld = {
    relay,
    url: relay.url,
    dir,
    sodium,
    logs,
    newKeys: () => identityKeys(sodium),
    client(keys, options = {}) {
      const client = new RelayClient({
        url: relay.url,
        identityPublicKey: keys.publicKey,
        sign: keys.sign,
        reconnect: { minDelayMs: 50, maxDelayMs: 500 },
        requestTimeoutMs: 10_000,
        ...options,
      });
      clients.push(client);
      return client;
    },
    async device(options = {}) {
      users++;
      const keys = identityKeys(sodium);
      const client = world.client(keys);
      const username = options.username ?? `user${users}_${process.pid % 1000}`;
      const address = await client.register({
        username,
        displayName: options.displayName ?? `User ${users}`,
        invitationCode: null,
      });
      if (options.connect !== false) await client.connect(address);
      return { client, address, username, keys };
    },
    logged: (event) => logs.filter((l) => l.event === event),
    async close() {
      await Promise.all(clients.map((c) => c.close()));
      await relay.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return world;
}

/** Waits until `check` returns a value that is not undefined (polling); fails after `timeoutMs`. */
export async function eventually<T>(
  check: () => T | undefined | Promise<T | undefined>,
  timeoutMs = 10_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('the expected condition did not happen in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Collects what a device receives, acknowledging each delivery after it is recorded. */
export function collect(device: TestDevice): { texts: string[]; ids: string[] } {
  const received = { texts: [] as string[], ids: [] as string[] };
  device.client.onEnvelopes(async (envelopes) => {
    for (const e of envelopes) {
      received.texts.push(new TextDecoder().decode(e.bytes));
      received.ids.push(e.id);
    }
  });
  return received;
}

export function text(value: string): Uint8Array {
  return new TextEncoder().encode(value);
}
