/**
 * Issue 4, item 4: mailboxes. Batches are acked once stored; envelopes are delivered live to a
 * connected device, kept for an offline one and redelivered in order when it comes back, deleted
 * when it acknowledges them, refused when a mailbox is full, and expired after their time to live.
 * Delivery is at-least-once: whatever is not acknowledged comes again.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { encodeSendFrame } from '../shared/relay-protocol/envelope-frame';
import { MAX_ENVELOPE_BYTES } from '../shared/relay-protocol/limits';
import { rawSocket } from './support/raw-relay-socket';
import { collect, eventually, type RelayWorld, startRelayWorld, text } from './support/relay-world';

let world: RelayWorld;
afterEach(async () => {
  await world?.close();
});

const depth = (address: { userId: string; deviceId: number }) => world.relay.store.depth(address);

describe('mailboxes', () => {
  it('delivers live, in order, and deletes what the device acknowledged', async () => {
    world = await startRelayWorld();
    const alice = await world.device();
    const bob = await world.device();
    const got = collect(bob);
    for (const word of ['one', 'two', 'three'])
      await alice.client.send([{ to: bob.address, bytes: text(word) }]);
    await eventually(() => (got.texts.length === 3 ? true : undefined));
    expect(got.texts).toEqual(['one', 'two', 'three']);
    expect(got.ids.map(BigInt)).toEqual([...got.ids.map(BigInt)].sort((a, b) => (a < b ? -1 : 1)));
    await eventually(async () => ((await depth(bob.address)).count === 0 ? true : undefined));
  });

  it('keeps envelopes for an offline device and redelivers them in order when it connects', async () => {
    world = await startRelayWorld();
    const carol = await world.device();
    const dave = await world.device({ connect: false });
    for (let i = 0; i < 20; i++) {
      await carol.client.send([
        { to: dave.address, bytes: text(`m${i}`) },
        { to: carol.address, bytes: text(`copy${i}`) },
      ]);
    }
    expect(await depth(dave.address)).toEqual({ count: 20, bytes: 20 * 2 + 10 });
    const got = collect(dave);
    await dave.client.connect(dave.address);
    await eventually(() => (got.texts.length === 20 ? true : undefined));
    expect(got.texts).toEqual(Array.from({ length: 20 }, (_, i) => `m${i}`));
    await eventually(async () => ((await depth(dave.address)).count === 0 ? true : undefined));
  });

  it('redelivers what was not acknowledged on the next connection', async () => {
    world = await startRelayWorld();
    const erin = await world.device();
    const frank = await world.device();
    const seen: string[] = [];
    frank.client.onEnvelopes(async (envelopes) => {
      for (const e of envelopes) seen.push(e.id);
      throw new Error('the disk is full'); // not stored: must not be acknowledged
    });
    await erin.client.send([{ to: frank.address, bytes: text('important') }]);
    await eventually(() => (seen.length === 1 ? true : undefined));
    await frank.client.close();
    expect((await depth(frank.address)).count).toBe(1);

    const again = world.client(frank.keys);
    const second: string[] = [];
    again.onEnvelopes(async (envelopes) => {
      for (const e of envelopes) second.push(e.id);
    });
    await again.connect(frank.address);
    await eventually(() => (second.length === 1 ? true : undefined));
    expect(second).toEqual(seen);
    await eventually(async () => ((await depth(frank.address)).count === 0 ? true : undefined));
  });

  it('refuses a whole batch when a mailbox is full, naming the recipient', async () => {
    world = await startRelayWorld({ mailboxQuota: 3 });
    const gina = await world.device();
    const hugo = await world.device({ connect: false });
    const ivan = await world.device({ connect: false });
    for (let i = 0; i < 3; i++) await gina.client.send([{ to: hugo.address, bytes: text(`${i}`) }]);
    const refused = gina.client.send([
      { to: ivan.address, bytes: text('for ivan') },
      { to: hugo.address, bytes: text('one too many') },
    ]);
    await expect(refused).rejects.toMatchObject({
      code: 'RELAY_MAILBOX_FULL',
      message: expect.stringMatching(/mailbox is full/),
      rejected: [{ to: hugo.address, code: 'RELAY_MAILBOX_FULL' }],
    });
    expect((await depth(ivan.address)).count).toBe(0);
    await expect(
      gina.client.send([{ to: { userId: 'ghost', deviceId: 1 }, bytes: text('x') }]),
    ).rejects.toMatchObject({ code: 'RELAY_UNKNOWN_DEVICE' });
  });

  it('expires envelopes after the mailbox time to live', async () => {
    let now = Date.now();
    world = await startRelayWorld({ mailboxTtlMs: 60_000 }, { now: () => now });
    const jane = await world.device();
    const karl = await world.device({ connect: false });
    await jane.client.send([{ to: karl.address, bytes: text('old') }]);
    now += 61_000;
    await jane.client.send([{ to: karl.address, bytes: text('new') }]);
    await world.relay.sweep();
    expect(await depth(karl.address)).toEqual({ count: 1, bytes: 3 });
    const got = collect(karl);
    await karl.client.connect(karl.address);
    await eventually(() => (got.texts.length === 1 ? true : undefined));
    expect(got.texts).toEqual(['new']);
  });

  it('drains a large backlog through its delivery window, in order', async () => {
    world = await startRelayWorld({ deviceRatePerSec: 100_000 });
    const lara = await world.device();
    const mike = await world.device({ connect: false });
    const total = 1500;
    for (let i = 0; i < total; i += 100) {
      await lara.client.send(
        Array.from({ length: 100 }, (_, k) => ({ to: mike.address, bytes: text(`${i + k}`) })),
      );
    }
    const got = collect(mike);
    await mike.client.connect(mike.address);
    await eventually(() => (got.texts.length >= total ? true : undefined), 30_000);
    expect(got.texts.map(Number)).toEqual(Array.from({ length: total }, (_, i) => i));
  });

  it('splits a large batch into frames, takes a 256 KiB envelope and refuses a larger one', async () => {
    world = await startRelayWorld();
    const nina = await world.device();
    const otto = await world.device();
    const got = collect(otto);
    await nina.client.send(
      Array.from({ length: 1200 }, (_, i) => ({ to: otto.address, bytes: text(`${i}`) })),
    );
    const big = new Uint8Array(MAX_ENVELOPE_BYTES).fill(7);
    await nina.client.send([
      { to: otto.address, bytes: big },
      { to: otto.address, bytes: big },
      { to: otto.address, bytes: big },
      { to: otto.address, bytes: big },
      { to: otto.address, bytes: big },
    ]);
    await eventually(() => (got.texts.length === 1205 ? true : undefined), 20_000);
    expect(got.texts.slice(0, 1200).map(Number)).toEqual(Array.from({ length: 1200 }, (_, i) => i));
    await expect(
      nina.client.send([{ to: otto.address, bytes: new Uint8Array(MAX_ENVELOPE_BYTES + 1) }]),
    ).rejects.toMatchObject({ code: 'PAYLOAD_TOO_LARGE' });
  });

  it('takes acknowledgements riding along with a send frame, and refuses bad ones', async () => {
    world = await startRelayWorld();
    const sara = await world.device();
    const tom = await world.device({ connect: false });
    await sara.client.send([{ to: tom.address, bytes: text('to ack') }]);
    const [waiting] = await world.relay.store.pending(tom.address, null, 1, Date.now());
    const raw = rawSocket(world.url);
    expect(await raw.authenticate(tom.address, tom.keys.sign)).toMatchObject({ ok: true });
    const frame = (body: string) =>
      Buffer.from(
        encodeSendFrame([{ seq: 1, envelopes: [{ to: sara.address, bytes: text(body) }] }]),
      ).toString('base64url');
    raw.socket.emit('envelopes:send', frame('reply'), { ids: [waiting!.id] });
    await eventually(async () => ((await depth(tom.address)).count === 0 ? true : undefined));
    raw.socket.emit('envelopes:send', frame('ignored'), { ids: 'not a list' });
    await eventually(() => (raw.errors.length === 1 ? true : undefined));
    expect(raw.errors[0]!.error.code).toBe('INVALID_ARGUMENT');
    raw.close();
  });

  it('takes a send frame as bytes as well as base64url text, and delivers both', async () => {
    world = await startRelayWorld();
    const uma = await world.device();
    const vic = await world.device();
    const got = collect(vic);
    const raw = rawSocket(world.url);
    expect(await raw.authenticate(uma.address, uma.keys.sign)).toMatchObject({ ok: true });
    const frame = (seq: number, body: string) =>
      encodeSendFrame([{ seq, envelopes: [{ to: vic.address, bytes: text(body) }] }]);
    const sent: unknown[] = [];
    raw.socket.on('envelopes:sent', (ack: unknown) => sent.push(ack));
    raw.socket.emit('envelopes:send', Buffer.from(frame(1, 'as bytes')));
    raw.socket.emit('envelopes:send', Buffer.from(frame(2, 'as text')).toString('base64url'));
    await eventually(() => (got.texts.length === 2 ? true : undefined));
    expect(got.texts).toEqual(['as bytes', 'as text']);
    expect(sent.flatMap((a) => (a as { stored: number[] }).stored).sort()).toEqual([1, 2]);
    raw.close();
  });

  it('fails a send at once when not connected', async () => {
    world = await startRelayWorld();
    const pia = await world.device({ connect: false });
    await expect(pia.client.send([{ to: pia.address, bytes: text('x') }])).rejects.toMatchObject({
      code: 'RELAY_UNREACHABLE',
    });
  });

  it('keeps acknowledged sends across a relay restart, for the device to fetch later', async () => {
    world = await startRelayWorld();
    const quinn = await world.device();
    const rosa = await world.device({ connect: false });
    await quinn.client.send([{ to: rosa.address, bytes: text('durable') }]);
    const { startRelay } = await import('../relay/server');
    const { pino } = await import('pino');
    const config = { dbPath: `${world.dir}/relay.sqlite`, blobDir: `${world.dir}/blobs` };
    await world.relay.close();
    const { DEFAULT_RELAY_CONFIG } = await import('../relay/config');
    const restarted = await startRelay(
      { ...DEFAULT_RELAY_CONFIG, ...config, port: 0, relayId: 'relay-test' },
      { logger: pino({ level: 'silent' }) },
    );
    try {
      const client = world.client(rosa.keys, { url: restarted.url });
      const got: string[] = [];
      client.onEnvelopes(async (envelopes) => {
        for (const e of envelopes) got.push(new TextDecoder().decode(e.bytes));
      });
      await client.connect(rosa.address);
      await eventually(() => (got.length === 1 ? true : undefined));
      expect(got).toEqual(['durable']);
      await client.close();
    } finally {
      await restarted.close();
    }
  });
});
