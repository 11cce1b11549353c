/**
 * Issue 4, item 6: several relay nodes. Two relay processes on two ports share one PostgreSQL
 * database (real server from Debian's package, started here) and deliver through the Redis
 * adapter (real redis-server): a device on each node, envelopes and acks flow across, an offline
 * device gets its mailbox from the other node, and a revocation made with the admin CLI cuts a
 * device off on whichever node holds it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { RelayClient } from '../electron/core/relay-client/relay-client';
import { openPostgresStore } from '../relay/store/postgres-store';
import type { DeviceAddress } from '../shared/address';
import { type PostgresServer, startPostgres } from './support/postgres-server';
import { type RedisServer, startRedis } from './support/redis-server';
import {
  type RelayProcess,
  runRelayCommand,
  startRelayProcess,
  stopAllRelayProcesses,
} from './support/relay-process';
import { eventually, type IdentityKeys, identityKeys, loadTestSodium, text } from './support/relay-world';

let postgres: PostgresServer;
let redis: RedisServer;
let nodes: RelayProcess[] = [];
let databaseUrl: string;
const clients: RelayClient[] = [];
const dir = mkdtempSync(join(tmpdir(), 'parley-relay-cluster-'));

beforeAll(async () => {
  [postgres, redis] = await Promise.all([startPostgres(), startRedis()]);
  databaseUrl = await postgres.createSchema();
  const args = (id: string) => [
    '--port=0',
    `--postgres-url=${databaseUrl}`,
    `--redis-url=${redis.url}`,
    `--relay-id=cluster`,
    `--blob-dir=${join(dir, `blobs-${id}`)}`,
    '--open-registration',
    '--revocation-poll-ms=100',
  ];
  // The first node creates the schema; the second starts on it.
  nodes = [await startRelayProcess(args('a'))];
  nodes.push(await startRelayProcess(args('b')));
});

afterAll(async () => {
  await Promise.all(clients.map((c) => c.close()));
  await stopAllRelayProcesses();
  await Promise.all([postgres?.stop(), redis?.stop()]);
  rmSync(dir, { recursive: true, force: true });
});

interface Device {
  readonly client: RelayClient;
  readonly address: DeviceAddress;
  readonly keys: IdentityKeys;
  readonly received: string[];
  readonly errors: string[];
}

async function device(node: RelayProcess, username: string): Promise<Device> {
  const keys = identityKeys(await loadTestSodium());
  const client = new RelayClient({
    url: node.url,
    identityPublicKey: keys.publicKey,
    sign: keys.sign,
    reconnect: { minDelayMs: 50, maxDelayMs: 300 },
  });
  clients.push(client);
  const received: string[] = [];
  const errors: string[] = [];
  client.onEnvelopes(async (envelopes) => {
    for (const e of envelopes) received.push(new TextDecoder().decode(e.bytes));
  });
  client.onStateChange((s, error) => {
    console.log('STATE', username, s, error?.code, error?.message);
    if (error) errors.push(error.code);
  });
  const address = await client.register({ username, displayName: username, invitationCode: null });
  await client.connect(address);
  return { client, address, keys, received, errors };
}

it('carries envelopes and acks between devices on two nodes over PostgreSQL and Redis', async () => {
  const [a, b] = nodes as [RelayProcess, RelayProcess];
  const ana = await device(a, 'ana');
  const ben = await device(b, 'ben');
  for (let i = 0; i < 5; i++) await ana.client.send([{ to: ben.address, bytes: text(`to ben ${i}`) }]);
  await ben.client.send([{ to: ana.address, bytes: text('to ana') }]);
  await eventually(() => (ben.received.length === 5 && ana.received.length === 1 ? true : undefined));
  expect(ben.received).toEqual([0, 1, 2, 3, 4].map((i) => `to ben ${i}`));
  expect(ana.received).toEqual(['to ana']);

  // Acks went across too: the shared mailboxes are empty.
  const store = await openPostgresStore(databaseUrl);
  try {
    await eventually(async () => ((await store.totalDepth()) === 0 ? true : undefined));
    // The directory is shared as well.
    expect((await ana.client.searchDirectory('ben')).map((u) => u.username)).toEqual(['ben']);
  } finally {
    await store.close();
  }
});

it('keeps a mailbox for a device while it is away and hands it over on the other node', async () => {
  const [a, b] = nodes as [RelayProcess, RelayProcess];
  const cara = await device(a, 'cara');
  const dino = await device(b, 'dino');
  await dino.client.close();
  await cara.client.send([{ to: dino.address, bytes: text('while you were away') }]);
  const back = new RelayClient({ url: a.url, identityPublicKey: dino.keys.publicKey, sign: dino.keys.sign });
  clients.push(back);
  const got: string[] = [];
  back.onEnvelopes(async (envelopes) => {
    for (const e of envelopes) got.push(new TextDecoder().decode(e.bytes));
  });
  await back.connect(dino.address);
  await eventually(() => (got.length === 1 ? true : undefined));
  expect(got).toEqual(['while you were away']);
});

it('cuts off a device on the other node when the admin CLI revokes it', async () => {
  const [a, b] = nodes as [RelayProcess, RelayProcess];
  await device(a, 'eli');
  const fay = await device(b, 'fay');
  const revoke = await runRelayCommand([
    'device',
    'revoke',
    '--address',
    `${fay.address.userId}.${fay.address.deviceId}`,
    `--postgres-url=${databaseUrl}`,
  ]);
  expect(revoke.code).toBe(0);
  await eventually(() => (fay.errors.includes('RELAY_DEVICE_REVOKED') ? true : undefined));
  expect(fay.client.state).toBe('offline');
});

it('cuts off at once a device on another node when a node revokes it in-process', async () => {
  // Two relays in this process on the same database and Redis; the audit-log watcher is made
  // too slow to matter, so the cut-off must travel through Redis.
  const { pino } = await import('pino');
  const { DEFAULT_RELAY_CONFIG } = await import('../relay/config');
  const { startRelay } = await import('../relay/server');
  const config = (name: string) => ({
    ...DEFAULT_RELAY_CONFIG,
    port: 0,
    postgresUrl: databaseUrl,
    redisUrl: redis.url,
    blobDir: join(dir, `inproc-${name}`),
    openRegistration: true,
    revocationPollMs: 600_000,
  });
  const logger = pino({ level: 'silent' });
  const [one, two] = await Promise.all([
    startRelay(config('one'), { logger }),
    startRelay(config('two'), { logger }),
  ]);
  try {
    const gil = await device({ url: two.url } as RelayProcess, 'gil');
    expect(await one.admin.revokeDevice(gil.address)).toBe(true);
    await eventually(() => (gil.errors.includes('RELAY_DEVICE_REVOKED') ? true : undefined));
  } finally {
    await Promise.all([one.close(), two.close()]);
  }
});
