/**
 * Issue 4, item 8: operations. Prometheus metrics, readiness, a graceful shutdown that finishes
 * the batches in flight (their senders are acked and the envelopes are on disk), an audit log of
 * account and device changes (metadata only, hash-chained), and logs without secrets.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { verifyAuditChain } from '../relay/store/audit-chain';
import { openSqliteStore } from '../relay/store/sqlite-store';
import { toBase64url } from '../shared/relay-protocol/base64url';
import { collect, eventually, type RelayWorld, startRelayWorld, text } from './support/relay-world';

let world: RelayWorld;
afterEach(async () => {
  await world?.close();
});

async function metrics(): Promise<string> {
  const response = await fetch(`${world.url}/metrics`);
  expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
  return response.text();
}

function sample(text: string, name: string): number {
  const match = new RegExp(`^${name.replace(/[{}"]/g, (c) => `\\${c}`)} (\\S+)$`, 'm').exec(text);
  if (!match) throw new Error(`no sample ${name}`);
  return Number(match[1]);
}

describe('operations', () => {
  it('exports connected devices, envelopes in and out, mailbox depth and errors by code', async () => {
    world = await startRelayWorld();
    const alice = await world.device();
    const bob = await world.device();
    const carol = await world.device({ connect: false });
    const got = collect(bob);
    for (let i = 0; i < 3; i++) await alice.client.send([{ to: bob.address, bytes: text(`b${i}`) }]);
    await alice.client.send([
      { to: carol.address, bytes: text('c1') },
      { to: carol.address, bytes: text('c2') },
    ]);
    await eventually(() => (got.texts.length === 3 ? true : undefined));
    await expect(alice.client.searchDirectory('')).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    const text1 = await eventually(async () => {
      const t = await metrics();
      return sample(t, 'parley_relay_envelopes_acked_total') === 3 ? t : undefined;
    });
    expect(sample(text1, 'parley_relay_connected_devices')).toBe(2);
    expect(sample(text1, 'parley_relay_envelopes_in_total')).toBe(5);
    expect(sample(text1, 'parley_relay_envelopes_out_total')).toBe(3);
    expect(sample(text1, 'parley_relay_mailbox_depth')).toBe(2);
    expect(sample(text1, 'parley_relay_errors_total{code="INVALID_ARGUMENT"}')).toBe(1);
    expect(text1).toMatch(/# TYPE parley_relay_envelopes_in_total counter/);
  });

  it('finishes the batches in flight on shutdown: senders are acked and the envelopes are on disk', async () => {
    world = await startRelayWorld({ groupCommitMs: 400 });
    const dora = await world.device();
    const ed = await world.device({ connect: false });
    const sent = dora.client.send([{ to: ed.address, bytes: text('in flight') }]);
    await eventually(async () =>
      sample(await metrics(), 'parley_relay_commit_queue_bytes') > 0 ? true : undefined,
    );
    const closing = world.relay.close();
    expect((await fetch(`${world.url}/readyz`)).status).toBe(503);
    await sent; // acked before the relay let its sockets go
    await closing;
    expect(world.logged('relay.stopped')).toHaveLength(1);
    const store = openSqliteStore(`${world.dir}/relay.sqlite`);
    const pending = await store.pending(ed.address, null, 10, Date.now());
    expect(pending.map((e) => new TextDecoder().decode(e.bytes))).toEqual(['in flight']);
    await store.close();
  });

  it('logs account and device changes as a verifiable hash chain, with metadata only', async () => {
    world = await startRelayWorld();
    const { code } = await world.relay.admin.createInvitation('fern');
    const fern = world.client(world.newKeys());
    const address = await fern.register({ username: 'fern', displayName: 'Fern', invitationCode: code });
    await fern.connect(address);
    const laptop = world.newKeys();
    const second = await fern.addDevice(laptop.publicKey);
    await world.relay.admin.revokeDevice(second);
    await world.relay.admin.deactivateUser('fern');
    const events = await world.relay.store.auditEvents(0, 100);
    expect(events.map((e) => [e.type, e.actor])).toEqual([
      ['invitation.created', 'relay-admin'],
      ['user.registered', 'invitation'],
      ['device.added', `device:${address.userId}.1`],
      ['device.revoked', 'relay-admin'],
      ['user.deactivated', 'relay-admin'],
    ]);
    expect(verifyAuditChain(events)).toBeNull();
    const serialized = JSON.stringify(events);
    expect(serialized).not.toContain(code.replace(/-/g, ''));
    expect(serialized).not.toContain(toBase64url(laptop.publicKey));
  });

  it('writes no secrets or contents into its logs', async () => {
    world = await startRelayWorld();
    const { code } = await world.relay.admin.createInvitation('gwen');
    const gwenKeys = world.newKeys();
    const gwen = world.client(gwenKeys);
    const address = await gwen.register({ username: 'gwen', displayName: 'Gwen', invitationCode: code });
    await gwen.connect(address);
    const hal = await world.device();
    const got = collect(hal);
    await gwen.send([{ to: hal.address, bytes: text('the secret plan') }]);
    await eventually(() => (got.texts.length === 1 ? true : undefined));
    const session = await (gwen as unknown as { sessionToken(): Promise<string> }).sessionToken();
    const blob = await gwen.upload(
      (async function* () {
        yield text('attachment bytes');
      })(),
      { size: 16 },
    );
    await gwen.download(blob.id, 'A'.repeat(43)).catch(() => {});
    const logs = JSON.stringify(world.logs);
    for (const secret of [
      code,
      session,
      blob.token,
      toBase64url(gwenKeys.publicKey),
      'the secret plan',
      blob.id,
    ]) {
      expect(logs).not.toContain(secret);
    }
    expect(world.logs.length).toBeGreaterThan(5);
  });
});
