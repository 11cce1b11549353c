/**
 * The relay store's shared suite against a real PostgreSQL server (Debian's package), started
 * in a temporary folder for this file; each test gets its own schema.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPostgresStore } from '../relay/store/postgres-store';
import { describeRelayStore } from '../relay/store/store-contract';
import { type PostgresServer, startPostgres } from './support/postgres-server';

let server: PostgresServer;
beforeAll(async () => {
  server = await startPostgres();
});
afterAll(async () => {
  await server?.stop();
});

describeRelayStore('PostgreSQL', async () => openPostgresStore(await server.createSchema()));

describe('PostgreSQL store', () => {
  it('lets two nodes start on one empty database at once', async () => {
    const url = await server.createSchema();
    const [a, b] = await Promise.all([openPostgresStore(url), openPostgresStore(url)]);
    const address = await a.registerUser({
      userId: 'u1',
      username: 'una',
      displayName: 'Una',
      identityKey: new Uint8Array(32).fill(1),
      invitationCodeHash: null,
      now: 1,
      actor: 'test',
    });
    expect(await b.getDevice(address)).toMatchObject({ userId: 'u1', deviceId: 1 });
    await Promise.all([a.close(), b.close()]);
  });
});
