/**
 * The relay admin commands against a running relay process and real devices: an invitation
 * printed by `invite create` registers its user; `device revoke` and `user deactivate` cut off
 * connected devices (the relay notices through the audit log).
 * THREAT-MODEL row: "A removed employee".
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, expect, it } from 'vitest';
import { RelayClient } from '../electron/core/relay-client/relay-client';
import { runRelayCommand, startRelayProcess, stopAllRelayProcesses } from './support/relay-process';
import { eventually, identityKeys, loadTestSodium, type Sodium } from './support/relay-world';

let sodium: Sodium;
const clients: RelayClient[] = [];
const dirs: string[] = [];
beforeAll(async () => {
  sodium = await loadTestSodium();
});
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
  await stopAllRelayProcesses();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function device(url: string): { client: RelayClient; errors: string[] } {
  const keys = identityKeys(sodium);
  const client = new RelayClient({
    url,
    identityPublicKey: keys.publicKey,
    sign: keys.sign,
    reconnect: { minDelayMs: 50, maxDelayMs: 200 },
  });
  clients.push(client);
  const errors: string[] = [];
  client.onStateChange((_state, error) => error && errors.push(error.code));
  return { client, errors };
}

it('registers with a printed invitation; revoke and deactivate cut off running devices', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'parley-relay-cli-'));
  dirs.push(dir);
  const db = `--db=${join(dir, 'r.sqlite')}`;
  const codes = new Map<string, string>();
  for (const username of ['bob', 'cleo']) {
    codes.set(
      username,
      (await runRelayCommand(['invite', 'create', '--username', username, db])).stdout.trim(),
    );
  }
  const relay = await startRelayProcess([
    '--port=0',
    db,
    `--blob-dir=${join(dir, 'b')}`,
    '--revocation-poll-ms=100',
  ]);
  const bob = device(relay.url);
  const cleo = device(relay.url);
  await expect(
    bob.client.register({ username: 'bob', displayName: 'Bob', invitationCode: null }),
  ).rejects.toMatchObject({ code: 'RELAY_REGISTRATION_CLOSED' });
  const bobAddress = await bob.client.register({
    username: 'bob',
    displayName: 'Bob',
    invitationCode: codes.get('bob')!,
  });
  const cleoAddress = await cleo.client.register({
    username: 'cleo',
    displayName: 'Cleo',
    invitationCode: codes.get('cleo')!,
  });
  await bob.client.connect(bobAddress);
  await cleo.client.connect(cleoAddress);

  const revoke = await runRelayCommand(['device', 'revoke', '--address', `${bobAddress.userId}.1`, db]);
  expect(revoke.code).toBe(0);
  expect(revoke.stderr).toMatch(/Device revoked/);
  await eventually(() => (bob.errors.includes('RELAY_DEVICE_REVOKED') ? true : undefined));
  expect(bob.client.state).toBe('offline');
  expect(cleo.client.state).toBe('online');

  const deactivate = await runRelayCommand(['user', 'deactivate', '--username', 'cleo', db]);
  expect(deactivate.code).toBe(0);
  await eventually(() => (cleo.errors.includes('RELAY_USER_DEACTIVATED') ? true : undefined));

  const unknown = await runRelayCommand(['user', 'deactivate', '--username', 'nobody', db]);
  expect(unknown.code).toBe(1);
  expect(unknown.stderr).toMatch(/There is no user "nobody"/);
  const again = await runRelayCommand(['device', 'revoke', '--address', `${bobAddress.userId}.1`, db]);
  expect(again.code).toBe(0);
  expect(again.stderr).toMatch(/revoked already/);
});
