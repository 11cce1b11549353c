/**
 * Issue 4, items 1 and 2: accounts, invitations, device authentication, the directory, and
 * cutting off revoked devices and deactivated users. A real relay on 127.0.0.1, real clients.
 * THREAT-MODEL rows: "A local web page or program" (open registration on loopback only) and
 * "A removed employee" (refused and disconnected at once).
 */

import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_RELAY_CONFIG, parseRelayConfig } from '../relay/config';
import { startRelay } from '../relay/server';
import type { ConnectionState } from '../shared/ipc';
import { rawSocket } from './support/raw-relay-socket';
import { eventually, type RelayWorld, startRelayWorld, type TestDevice } from './support/relay-world';

let world: RelayWorld;
afterEach(async () => {
  await world?.close();
});

/** The state and error a client reports, as they change. */
function watch(device: Pick<TestDevice, 'client'>): { state: ConnectionState; code: string | null } {
  const seen = { state: device.client.state, code: null as string | null };
  device.client.onStateChange((state, error) => {
    seen.state = state;
    if (error) seen.code = error.code;
  });
  return seen;
}

describe('registration', () => {
  it('registers with a one-time invitation for its username only', async () => {
    world = await startRelayWorld({ openRegistration: false });
    const { code } = await world.relay.admin.createInvitation('alice');
    const keys = world.newKeys();
    const client = world.client(keys);
    const base = { displayName: 'Alice', invitationCode: code };

    await expect(client.register({ ...base, username: 'mallory' })).rejects.toMatchObject({
      code: 'RELAY_INVITATION_INVALID',
    });
    await expect(
      client.register({ ...base, username: 'alice', invitationCode: 'not-a-code' }),
    ).rejects.toMatchObject({
      code: 'RELAY_INVITATION_INVALID',
    });
    await expect(client.register({ ...base, username: 'alice', invitationCode: null })).rejects.toMatchObject(
      {
        code: 'RELAY_REGISTRATION_CLOSED',
      },
    );
    // Codes are read like Crockford base32: case and dashes do not matter.
    const alice = await client.register({
      ...base,
      username: 'alice',
      invitationCode: code.toLowerCase().replace(/-/g, ' '),
    });
    expect(alice).toMatchObject({ deviceId: 1 });
    await expect(
      world.client(world.newKeys()).register({ ...base, username: 'alice' }),
    ).rejects.toMatchObject({
      code: 'RELAY_INVITATION_INVALID',
    });
    await expect(world.relay.admin.createInvitation('alice')).rejects.toMatchObject({
      code: 'RELAY_USERNAME_TAKEN',
    });
  });

  it('allows open registration only on a loopback relay', async () => {
    expect(() => parseRelayConfig(['--open-registration', '--host', '0.0.0.0'], {})).toThrow(
      expect.objectContaining({ code: 'CONFIG_INVALID' }),
    );
    await expect(
      startRelay(
        { ...DEFAULT_RELAY_CONFIG, host: '0.0.0.0', port: 0, openRegistration: true },
        { logger: pino({ level: 'silent' }) },
      ),
    ).rejects.toMatchObject({ code: 'CONFIG_INVALID' });

    world = await startRelayWorld({ openRegistration: true });
    const bob = await world.device({ username: 'bob' });
    expect(bob.address.deviceId).toBe(1);
    await expect(
      world
        .client(world.newKeys())
        .register({ username: 'bob', displayName: 'Other Bob', invitationCode: null }),
    ).rejects.toMatchObject({ code: 'RELAY_USERNAME_TAKEN' });
    await expect(
      world.client(bob.keys).register({ username: 'bob2', displayName: 'Same key', invitationCode: null }),
    ).rejects.toMatchObject({ code: 'CONFLICT' });
  });

  it('refuses registrations that are not valid', async () => {
    world = await startRelayWorld();
    const client = world.client(world.newKeys());
    for (const username of ['ab', 'Alice', 'a b c', 'x'.repeat(33)]) {
      await expect(
        client.register({ username, displayName: 'X', invitationCode: null }),
      ).rejects.toMatchObject({
        code: 'INVALID_ARGUMENT',
      });
    }
    await expect(
      client.register({ username: 'carol', displayName: 'bell\u0007', invitationCode: null }),
    ).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    await expect(
      client.register({
        username: 'carol',
        displayName: 'Carol',
        invitationCode: null,
        identityKey: new Uint8Array(31),
      }),
    ).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });
});

describe('device authentication', () => {
  it('brings a registered device online with a signature over the relay challenge', async () => {
    world = await startRelayWorld();
    const dana = await world.device();
    expect(dana.client.state).toBe('online');
    expect(world.logged('relay.device_connected').map((l) => l.device)).toContain(
      `${dana.address.userId}.${dana.address.deviceId}`,
    );
  });

  it('refuses a proof signed by another key, and keeps the device out', async () => {
    world = await startRelayWorld();
    const erin = await world.device({ connect: false });
    const impostor = { client: world.client(world.newKeys()) };
    const seen = watch(impostor);
    void impostor.client.connect(erin.address).catch(() => {});
    await eventually(() => (seen.code === 'RELAY_AUTH_FAILED' ? true : undefined));
    expect(impostor.client.state).not.toBe('online');
    expect(world.logs.some((l) => l.event === 'relay.refused' && l.code === 'RELAY_AUTH_FAILED')).toBe(true);
  });

  it('refuses a replayed proof and a second proof on one connection', async () => {
    world = await startRelayWorld();
    const fay = await world.device({ connect: false });
    const first = rawSocket(world.url);
    const second = rawSocket(world.url);
    const firstChallenge = await first.challenge;
    await second.challenge;
    // A proof made for the first connection's nonce, replayed on the second.
    const time = Date.now();
    const { encodeAuthProof } = await import('../shared/relay-protocol/auth-proof');
    const { toBase64url } = await import('../shared/relay-protocol/base64url');
    const signature = toBase64url(fay.keys.sign(encodeAuthProof({ ...firstChallenge, time })));
    const proof = { ...fay.address, time, signature };
    expect(await second.request('auth:prove', proof)).toMatchObject({
      ok: false,
      error: { code: 'RELAY_AUTH_FAILED' },
    });
    expect(await first.request('auth:prove', proof)).toMatchObject({ ok: true });
    expect(await first.request('auth:prove', proof)).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT' },
    });
    first.close();
    second.close();
  });

  it('refuses a proof from a clock far off, saying so', async () => {
    world = await startRelayWorld();
    const gus = await world.device({ connect: false });
    const skewed = { client: world.client(gus.keys, { now: () => Date.now() - 20 * 60_000 }) };
    const seen = watch(skewed);
    const errors: string[] = [];
    skewed.client.onStateChange((_s, error) => error && errors.push(error.message));
    void skewed.client.connect(gus.address).catch(() => {});
    await eventually(() => (seen.code === 'RELAY_AUTH_FAILED' ? true : undefined));
    expect(errors.join(' ')).toMatch(/clock is 20 minutes behind/);
  });

  it('tells an unknown device to register again and stops trying', async () => {
    world = await startRelayWorld();
    const client = world.client(world.newKeys());
    await expect(client.connect({ userId: 'nobody', deviceId: 1 })).rejects.toMatchObject({
      code: 'RELAY_UNKNOWN_DEVICE',
    });
    expect(client.state).toBe('offline');
  });

  it('refuses every request before authentication', async () => {
    world = await startRelayWorld();
    const raw = rawSocket(world.url);
    await raw.challenge;
    for (const [event, args] of [
      ['directory:search', { query: 'a' }],
      ['prekeys:fetch', { userId: 'abc' }],
      ['prekeys:counts', {}],
      ['session:refresh', {}],
    ] as const) {
      expect(await raw.request(event, args)).toMatchObject({
        ok: false,
        error: { code: 'RELAY_UNAUTHENTICATED' },
      });
    }
    raw.socket.emit('envelopes:ack', { ids: ['1'] });
    await eventually(() => (raw.errors.length > 0 ? true : undefined));
    expect(raw.errors[0]).toMatchObject({ event: 'envelopes:ack', error: { code: 'RELAY_UNAUTHENTICATED' } });
    raw.close();
  });

  it('replaces an older connection of the same device', async () => {
    world = await startRelayWorld();
    const hal = await world.device();
    const first = watch(hal);
    const again = world.client(hal.keys);
    await again.connect(hal.address);
    await eventually(() => (first.state !== 'online' ? true : undefined));
    expect(again.state).toBe('online');
  });
});

describe('directory and devices', () => {
  it('finds active users by a prefix of their username or display name', async () => {
    world = await startRelayWorld();
    const alice = await world.device({ username: 'alice', displayName: 'Alice Smith' });
    await world.device({ username: 'bob', displayName: 'Robert Jones' });
    const gone = await world.device({ username: 'alfred', displayName: 'Alfred Gone' });
    await world.relay.admin.deactivateUser('alfred');
    expect(await alice.client.searchDirectory('smi')).toEqual([
      { userId: alice.address.userId, username: 'alice', displayName: 'Alice Smith' },
    ]);
    expect((await alice.client.searchDirectory('AL')).map((u) => u.username)).toEqual(['alice']);
    expect((await alice.client.searchDirectory('rob')).map((u) => u.username)).toEqual(['bob']);
    expect(await alice.client.lookupUser(alice.address.userId)).toMatchObject({ username: 'alice' });
    expect(await alice.client.lookupUser(gone.address.userId)).toBeNull();
    await expect(alice.client.searchDirectory('')).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });

  it('adds a device to a user; both are listed with their keys and both connect', async () => {
    world = await startRelayWorld();
    const ivy = await world.device();
    const laptop = world.newKeys();
    const added = await ivy.client.addDevice(laptop.publicKey);
    expect(added).toEqual({ userId: ivy.address.userId, deviceId: 2 });
    const second = world.client(laptop);
    await second.connect(added);
    const devices = await second.listDevices(ivy.address.userId);
    expect(devices.map((d) => d.deviceId)).toEqual([1, 2]);
    expect(devices[1]!.identityKey).toEqual(laptop.publicKey);
    await expect(second.listDevices('nobody')).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});

describe('revocation', () => {
  it('disconnects a revoked device at once and refuses it afterwards', async () => {
    world = await startRelayWorld();
    const jay = await world.device();
    const other = await world.device();
    const seen = watch(jay);
    expect(await world.relay.admin.revokeDevice(jay.address)).toBe(true);
    await eventually(() => (seen.code === 'RELAY_DEVICE_REVOKED' ? true : undefined));
    expect(jay.client.state).toBe('offline');
    await expect(world.client(jay.keys).connect(jay.address)).rejects.toMatchObject({
      code: 'RELAY_DEVICE_REVOKED',
    });
    expect(other.client.state).toBe('online');
    await expect(other.client.send([{ to: jay.address, bytes: new Uint8Array([1]) }])).rejects.toMatchObject({
      code: 'RELAY_DEVICE_REVOKED',
      rejected: [{ to: jay.address, code: 'RELAY_DEVICE_REVOKED' }],
    });
  });

  it('disconnects every device of a deactivated user and hides the user', async () => {
    world = await startRelayWorld();
    const kim = await world.device({ username: 'kim' });
    const phoneKeys = world.newKeys();
    const phone = { client: world.client(phoneKeys) };
    await phone.client.connect(await kim.client.addDevice(phoneKeys.publicKey));
    const lee = await world.device();
    const [first, second] = [watch(kim), watch(phone)];
    expect(await world.relay.admin.deactivateUser('kim')).toBe(true);
    await eventually(() =>
      first.code === 'RELAY_USER_DEACTIVATED' && second.code === 'RELAY_USER_DEACTIVATED' ? true : undefined,
    );
    expect(await lee.client.searchDirectory('kim')).toEqual([]);
    await expect(lee.client.fetchBundles(kim.address.userId)).rejects.toMatchObject({
      code: 'RELAY_USER_DEACTIVATED',
    });
    await expect(world.client(kim.keys).connect(kim.address)).rejects.toMatchObject({
      code: 'RELAY_USER_DEACTIVATED',
    });
  });

  it('notices a revocation made outside this relay process (admin CLI, another node)', async () => {
    world = await startRelayWorld({ revocationPollMs: 50 });
    const max = await world.device();
    const seen = watch(max);
    // The store directly, as the CLI or another node would: no in-process notification.
    await world.relay.store.revokeDevice(max.address, Date.now(), 'admin-cli');
    await eventually(() => (seen.code === 'RELAY_DEVICE_REVOKED' ? true : undefined));
  });
});
