/**
 * Issue 4, item 7: bad input. Every event and route validates its payload; malformed, oversize,
 * unauthenticated, replayed and flood traffic gets a stable error code and a log line; rate limits
 * hold per device and per network address; the relay neither crashes nor grows in memory.
 * THREAT-MODEL rows: "A network attacker" and "A local web page or program" sending anything.
 */

import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { io } from 'socket.io-client';
import { afterEach, describe, expect, it } from 'vitest';
import { isErrorCode } from '../shared/errors';
import { encodeSendFrame } from '../shared/relay-protocol/envelope-frame';
import { DEVICE_EVENTS } from '../shared/relay-protocol/events';
import { MAX_ENVELOPE_BYTES } from '../shared/relay-protocol/limits';
import { type RawSocket, rawSocket } from './support/raw-relay-socket';
import { collect, eventually, type RelayWorld, startRelayWorld, text } from './support/relay-world';

let world: RelayWorld;
const sockets: RawSocket[] = [];
afterEach(async () => {
  for (const s of sockets.splice(0)) s.close();
  await world?.close();
});

function open(): RawSocket {
  const socket = rawSocket(world.url);
  sockets.push(socket);
  return socket;
}

/** Garbage of every shape a JSON or binary payload can take. */
const GARBAGE: unknown[] = [
  undefined,
  null,
  0,
  -1,
  1e308,
  'text',
  'x'.repeat(100_000),
  true,
  [],
  [1, 2, 3],
  {},
  { query: 42 },
  { userId: '../../etc', deviceId: -5 },
  { ids: Array.from({ length: 5000 }, (_, i) => String(i + 1)) },
  { ids: ['0', '01', 'abc', '-1'] },
  { nested: { a: { b: { c: { d: [{}] } } } } },
  { __proto__: { polluted: true } },
  new Uint8Array(0),
  new Uint8Array([1, 2, 3]),
  new Uint8Array(4096).fill(0xff),
];

/** Valid-looking frames that are wrong inside. */
function badFrames(to: { userId: string; deviceId: number }): Uint8Array[] {
  const good = encodeSendFrame([{ seq: 7, envelopes: [{ to, bytes: text('hello') }] }]);
  const wrongVersion = good.slice();
  wrongVersion[0] = 9;
  const lying = good.slice();
  new DataView(lying.buffer).setUint32(lying.length - 9, 1_000_000);
  // A well-formed frame whose one envelope is a byte over the limit.
  const address = new TextEncoder().encode(`${to.userId}.${to.deviceId}`);
  const oversize = new Uint8Array(10 + 1 + address.length + 4 + MAX_ENVELOPE_BYTES + 1);
  oversize.set(good.subarray(0, 10));
  oversize[10] = address.length;
  oversize.set(address, 11);
  new DataView(oversize.buffer).setUint32(11 + address.length, MAX_ENVELOPE_BYTES + 1);
  return [
    good.subarray(0, 5),
    good.subarray(0, good.length - 1),
    wrongVersion,
    lying,
    oversize,
    good.slice(0, 8),
  ];
}

/** Frames travel as base64url text. */
const asText = (frame: Uint8Array) => Buffer.from(frame).toString('base64url');

const codesOf = (answers: unknown[]) =>
  answers.map((a) => (a as { ok: boolean; error?: { code: string } }).error?.code ?? 'OK');

describe('bad input', () => {
  it('refuses garbage on every event, before and after authentication, with stable codes and log lines', async () => {
    world = await startRelayWorld({ addressRatePerSec: 100_000, deviceRatePerSec: 100_000 });
    const victim = await world.device();
    const got = collect(victim);
    const events = [...Object.values(DEVICE_EVENTS), 'no:such:event', '__proto__', 'constructor'];

    const stranger = open();
    await stranger.challenge;
    const before: unknown[] = [];
    for (const event of events) {
      for (const payload of GARBAGE.slice(0, 4)) before.push(await stranger.request(event, payload));
    }
    for (const code of codesOf(before))
      expect(['RELAY_UNAUTHENTICATED', 'INVALID_ARGUMENT', 'WIRE_MALFORMED']).toContain(code);
    stranger.close();

    // A fresh authenticated connection per event, so that no socket reaches the strike limit.
    const mallory = await world.device({ connect: false });
    const after: unknown[] = [];
    let insider = open();
    for (const event of events.filter((e) => e !== 'auth:prove')) {
      insider.close();
      insider = open();
      expect(await insider.authenticate(mallory.address, mallory.keys.sign)).toMatchObject({ ok: true });
      for (const payload of GARBAGE) after.push(await insider.request(event, payload));
    }
    const codes = new Set(codesOf(after));
    for (const code of codes) expect(code === 'OK' || isErrorCode(code)).toBe(true);
    expect(codes).toContain('INVALID_ARGUMENT');
    expect(codes).toContain('WIRE_MALFORMED');

    // Binary frames that lie about their contents: refused whole, nothing stored.
    for (const frame of badFrames(victim.address)) insider.socket.emit('envelopes:send', asText(frame));
    insider.socket.emit('envelopes:send', new Uint8Array(10)); // bytes that are no frame
    await eventually(() => (insider.errors.length >= 7 ? true : undefined));
    const frameCodes = insider.errors.map((e) => e.error.code);
    expect(frameCodes).toEqual(
      expect.arrayContaining(['WIRE_MALFORMED', 'WIRE_BAD_VERSION', 'PAYLOAD_TOO_LARGE']),
    );
    expect((await world.relay.store.depth(victim.address)).count).toBe(0);

    const refusals = world.logged('relay.refused');
    expect(refusals.length).toBeGreaterThanOrEqual(before.length);
    expect(refusals.every((l) => isErrorCode(l.code))).toBe(true);

    // Still serving: the health route answers and a real device still gets its messages.
    expect((await fetch(`${world.url}/healthz`)).status).toBe(200);
    const sender = await world.device();
    await sender.client.send([{ to: victim.address, bytes: text('still here') }]);
    await eventually(() => (got.texts.includes('still here') ? true : undefined));
    expect(got.texts).toEqual(['still here']);
  });

  it('does not let a device acknowledge (delete) envelopes of another device', async () => {
    world = await startRelayWorld();
    const alice = await world.device();
    const bob = await world.device({ connect: false });
    await alice.client.send([{ to: bob.address, bytes: text('for bob') }]);
    const [pending] = await world.relay.store.pending(bob.address, null, 10, Date.now());
    const thief = open();
    const eve = await world.device({ connect: false });
    await thief.authenticate(eve.address, eve.keys.sign);
    thief.socket.emit('envelopes:ack', { ids: [pending!.id] });
    thief.socket.emit('envelopes:ack', { ids: [pending!.id] });
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect((await world.relay.store.depth(bob.address)).count).toBe(1);
  });

  it('disconnects a socket that keeps sending refused traffic', async () => {
    world = await startRelayWorld({ addressRatePerSec: 100_000 });
    const noisy = open();
    await noisy.challenge;
    const disconnected = new Promise<void>((resolve) => noisy.socket.once('disconnect', () => resolve()));
    for (let i = 0; i < 150; i++) noisy.socket.emit('directory:search', { query: i });
    await disconnected;
    expect(world.logged('relay.socket_abusive')).toHaveLength(1);
  });

  it('closes only the connection that sends a message over the size limit', async () => {
    world = await startRelayWorld();
    const bystander = await world.device();
    const big = open();
    await big.challenge;
    const closed = new Promise<string>((resolve) =>
      big.socket.once('disconnect', (reason) => resolve(reason)),
    );
    big.socket.emit('envelopes:send', new Uint8Array(3 * 1024 * 1024));
    expect(await closed).toMatch(/transport/);
    expect(bystander.client.state).toBe('online');
    expect(await bystander.client.searchDirectory('user')).toBeInstanceOf(Array);
  });

  it('rate-limits each device and each network address', async () => {
    world = await startRelayWorld({ deviceRatePerSec: 5, addressRatePerSec: 2 });
    const busy = await world.device();
    const answers = await Promise.allSettled(
      Array.from({ length: 60 }, () => busy.client.searchDirectory('x')),
    );
    const limited = answers.filter(
      (a) => a.status === 'rejected' && (a.reason as { code?: string }).code === 'RATE_LIMITED',
    );
    expect(limited.length).toBeGreaterThan(0);
    expect(answers.some((a) => a.status === 'fulfilled')).toBe(true);

    const http = await Promise.all(Array.from({ length: 60 }, () => fetch(`${world.url}/v1/info`)));
    expect(http.some((r) => r.status === 429)).toBe(true);

    // New connections from the same address are refused once its budget is spent.
    const refused = await new Promise<{ code?: string }>((resolve) => {
      const socket = io(world.url, { transports: ['websocket'], forceNew: true, reconnection: false });
      socket.once('connect_error', (error: Error & { data?: { code?: string } }) => {
        socket.close();
        resolve(error.data ?? {});
      });
      socket.once('connect', () => {
        socket.close();
        resolve({});
      });
    });
    expect(refused.code).toBe('RATE_LIMITED');
    expect(world.logs.some((l) => l.event === 'relay.refused' && l.code === 'RATE_LIMITED')).toBe(true);
  });

  it('answers malformed HTTP requests with stable codes', async () => {
    world = await startRelayWorld();
    const post = (path: string, body: string, headers: Record<string, string> = {}) =>
      fetch(`${world.url}${path}`, { method: 'POST', body, headers });
    const cases: [Promise<Response>, number, string][] = [
      [post('/v1/register', '{not json'), 400, 'WIRE_MALFORMED'],
      [post('/v1/register', JSON.stringify({ username: 'x' })), 400, 'INVALID_ARGUMENT'],
      [post('/v1/register', JSON.stringify({ pad: 'x'.repeat(40_000) })), 413, 'PAYLOAD_TOO_LARGE'],
      [post('/v1/blobs', '{}'), 401, 'RELAY_UNAUTHENTICATED'],
      [fetch(`${world.url}/v1/nothing`), 404, 'NOT_FOUND'],
      [fetch(`${world.url}/v1/blobs/x/status`), 401, 'RELAY_UNAUTHENTICATED'],
      [fetch(`${world.url}/v1/blobs/abc`, { method: 'PATCH', body: 'x' }), 401, 'RELAY_UNAUTHENTICATED'],
    ];
    for (const [response, status, code] of cases) {
      const r = await response;
      expect([r.status, ((await r.json()) as { error: { code: string } }).error.code]).toEqual([
        status,
        code,
      ]);
    }
    expect(world.logged('relay.http_refused').length).toBeGreaterThanOrEqual(cases.length);
    expect((await fetch(`${world.url}/healthz`)).status).toBe(200);
  });

  it('does not grow in memory under a flood of garbage', async () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    world = await startRelayWorld(
      { addressRatePerSec: 1_000_000, deviceRatePerSec: 1_000_000 },
      { keepLogs: false },
    );
    const target = await world.device();
    // One device per authenticated socket: a device's newer connection replaces its older one.
    const flooders = await Promise.all(Array.from({ length: 10 }, () => world.device({ connect: false })));
    const events = [...Object.values(DEVICE_EVENTS), 'no:such:event'];

    async function round(): Promise<void> {
      const batch = Array.from({ length: 20 }, (_, i) => {
        const s = open();
        // Half authenticate first: garbage reaches the handlers behind authentication too.
        const f = flooders[i >> 1]!;
        return i % 2 === 0 ? s.authenticate(f.address, f.keys.sign).then(() => s) : s.challenge.then(() => s);
      });
      const opened = await Promise.all(batch);
      for (const s of opened) {
        for (let k = 0; k < 90; k++) {
          const event = events[k % events.length]!;
          const payload =
            k % 3 === 0 ? asText(badFrames(target.address)[k % 6]!) : GARBAGE[k % GARBAGE.length];
          s.socket.emit(event, payload);
        }
      }
      // Every socket still answers: none was cut off for what it sent (below the strike limit).
      const answers = await Promise.all(opened.map((s) => s.request('directory:search', { query: 'z' })));
      expect(codesOf(answers).filter((c) => c !== 'OK')).toEqual(Array(10).fill('RELAY_UNAUTHENTICATED'));
      for (const s of opened) s.close();
      await eventually(async () => {
        const metrics = await (await fetch(`${world.url}/metrics`)).text();
        return /parley_relay_sockets 1\n/.test(metrics) ? true : undefined;
      });
      sockets.length = 0;
    }

    const heap = () => {
      gc();
      gc();
      return process.memoryUsage().heapUsed;
    };
    await round();
    await round();
    const baseline = heap();
    for (let i = 0; i < 6; i++) await round();
    const growth = heap() - baseline;
    // 6 rounds × 20 sockets × 90 events: a leak of 300 bytes per event would exceed this (seen: ~0.6 MB).
    expect(growth).toBeLessThan(3 * 1024 * 1024);
    const metrics = await (await fetch(`${world.url}/metrics`)).text();
    expect(metrics).toMatch(/parley_relay_delivery_sessions 1\n/);
    expect(metrics).toMatch(/parley_relay_errors_total\{code="INVALID_ARGUMENT"\} \d+/);
    expect(target.client.state).toBe('online');
  });
});
