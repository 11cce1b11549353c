/**
 * `npm run bench -- relay`: the relay with durable mailboxes (SQLite, synchronous=FULL, group
 * commit), in its own process, driven by real RelayClients from this process.
 *
 * relay.throughput: 100 sender/receiver device pairs, 200-byte envelopes, each sender keeping
 *   WINDOW sends in flight (a send completes when the relay acks it, i.e. after its commit);
 *   receivers acknowledge every delivery. Envelopes/s received, measured over MEASURE_MS.
 *   Baseline, in the same run: a bare socket.io server (also its own process) that forwards each
 *   envelope to its recipient's socket as it arrives (one event each, base64url text), with
 *   nothing stored and no acks, between the same number of client sockets sending the same
 *   frames the same way (bytes from BINARY_FRAME_MIN_BYTES on, base64url text below, as
 *   RelayClient does), each sender keeping WINDOW envelopes in flight (counted off when its
 *   receiver gets them). Best of ROUNDS alternating rounds for both.
 * relay.latency: 1,000 connected devices (500 pairs, both directions) offering 10,000
 *   envelopes/s in total, open loop; time from send() to the recipient's handler, p50/p99/max.
 *   Baseline, in the same run: the bare server carrying the same open loop between the same
 *   number of client sockets (each envelope one event in, one event out; the relay needs two
 *   more per envelope: the sender's ack and the recipient's).
 *
 * The bare server is this file run with PARLEY_BENCH_ROLE=bare-relay.
 *
 * Settings: PARLEY_BENCH_PROFILE=<folder> (the relay and bare server processes write CPU profiles
 * there), PARLEY_BENCH_NODE_ARGS (more Node flags for both, e.g. --trace-gc),
 * PARLEY_BENCH_RELAY_PART=throughput|latency (run only that half).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import sodiumModule from 'libsodium-wrappers-sumo';
import { Server } from 'socket.io';
import { io as connectSocket, type Socket } from 'socket.io-client';
import { RelayClient } from '../electron/core/relay-client/relay-client';
import type { DeviceAddress } from '../shared/address';
import { decodeSendFrame, encodeSendFrame } from '../shared/relay-protocol/envelope-frame';
import { BINARY_FRAME_MIN_BYTES } from '../shared/relay-protocol/frame-payload';
import { MAX_SOCKET_MESSAGE_BYTES } from '../shared/relay-protocol/limits';
import { cpuSeconds } from './process-cpu';
import { type Report, round } from './report';

const ROOT = join(__dirname, '..');
const PAIRS = 100;
const ENVELOPE_BYTES = 200;
const WINDOW = 64;
const WARMUP_MS = 1_500;
const MEASURE_MS = 5_000;
const ROUNDS = 2;
const LATENCY_DEVICES = 1_000;
const LATENCY_RATE = 10_000;
const LATENCY_MEASURE_MS = 6_000;
const PART = process.env.PARLEY_BENCH_RELAY_PART;

/**
 * Node flags for the relay and the bare server: with PARLEY_BENCH_PROFILE=<folder> they write CPU
 * profiles there; PARLEY_BENCH_NODE_ARGS adds more (both get the same).
 */
function nodeFlags(): string[] {
  const folder = process.env.PARLEY_BENCH_PROFILE;
  const extra = process.env.PARLEY_BENCH_NODE_ARGS?.split(' ').filter(Boolean) ?? [];
  return [...(folder ? ['--cpu-prof', `--cpu-prof-dir=${folder}`] : []), ...extra];
}

type Sodium = typeof sodiumModule;

interface Child {
  readonly url: string;
  readonly pid: number;
  stop(): Promise<void>;
}

/** Measures how many cores the bench process and a child use while `work` runs. */
async function withCpu<T>(
  pid: number,
  work: () => Promise<T>,
): Promise<{ result: T; childCores: number; selfCores: number }> {
  const t0 = performance.now();
  const child0 = cpuSeconds(pid);
  const self0 = process.cpuUsage();
  const result = await work();
  const seconds = (performance.now() - t0) / 1000;
  const self = process.cpuUsage(self0);
  return {
    result,
    childCores: (cpuSeconds(pid) - child0) / seconds,
    selfCores: (self.user + self.system) / 1e6 / seconds,
  };
}

/** Starts a Node process and waits for the line that tells its port. */
function startChild(
  args: string[],
  env: Record<string, string>,
  portPattern: RegExp,
): Promise<Child & { process: ChildProcess }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, {
      cwd: ROOT,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const timer = setTimeout(() => fail(new Error(`no port after 30 s:\n${output}`)), 30_000);
    function fail(error: Error) {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(error);
    }
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = portPattern.exec(output);
      if (!match) return;
      clearTimeout(timer);
      child.stdout.off('data', onData);
      child.stdout.resume();
      resolve({
        process: child,
        pid: child.pid!,
        url: `http://127.0.0.1:${match[1]}`,
        stop: () =>
          new Promise<void>((done) => {
            if (child.exitCode !== null) return done();
            child.once('exit', () => done());
            child.kill('SIGTERM');
          }),
      });
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.once('exit', (code) => fail(new Error(`exited with ${code} before it listened:\n${output}`)));
  });
}

async function startRelayProcess(dir: string): Promise<Child> {
  return startChild(
    [
      ...nodeFlags(),
      '--import',
      'tsx',
      'relay/main.ts',
      '--port=0',
      `--db=${join(dir, 'relay.sqlite')}`,
      `--blob-dir=${join(dir, 'blobs')}`,
      '--open-registration',
      '--relay-id=bench',
      '--device-rate=10000000',
      '--address-rate=10000000',
      '--log-level=info',
    ],
    {},
    /"event":"relay\.started"[^\n]*"port":(\d+)/,
  );
}

function startBareProcess(): Promise<Child> {
  return startChild(
    [...nodeFlags(), '--import', 'tsx', __filename],
    { PARLEY_BENCH_ROLE: 'bare-relay' },
    /"bareRelayPort":(\d+)/,
  );
}

/** The baseline: forwards each envelope of a send frame to its recipient's room, nothing else. */
function runBareRelay(): void {
  const http = createServer();
  const io = new Server(http, { serveClient: false, maxHttpBufferSize: MAX_SOCKET_MESSAGE_BYTES });
  io.on('connection', (socket) => {
    const me = socket.handshake.auth.address;
    if (typeof me === 'string') void socket.join(me);
    socket.on('envelopes:send', (payload: string | Buffer) => {
      const frame = typeof payload === 'string' ? Buffer.from(payload, 'base64url') : payload;
      for (const e of decodeSendFrame(frame).flatMap((b) => b.envelopes))
        io.to(`${e.to.userId}.${e.to.deviceId}`).emit(
          'envelope',
          Buffer.from(e.bytes.buffer, e.bytes.byteOffset, e.bytes.byteLength).toString('base64url'),
        );
    });
  });
  http.listen(0, '127.0.0.1', () => {
    console.log(JSON.stringify({ bareRelayPort: (http.address() as AddressInfo).port }));
  });
  process.once('SIGTERM', () => {
    io.close();
    process.exit(0);
  });
}

const PAYLOAD = Uint8Array.from({ length: ENVELOPE_BYTES }, (_, i) => (i * 31) & 0xff);

/** A 200-byte envelope (a fresh copy: the latency bench writes a timestamp into it). */
function payload(): Uint8Array {
  return PAYLOAD.slice();
}

async function sleep(ms: number): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, ms));
}

interface Device {
  readonly client: RelayClient;
  readonly address: DeviceAddress;
}

async function registerDevices(sodium: Sodium, url: string, count: number): Promise<Device[]> {
  const devices: Device[] = new Array(count);
  const concurrency = 16;
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) {
        const i = next++;
        const pair = sodium.crypto_sign_keypair();
        const client = new RelayClient({
          url,
          identityPublicKey: pair.publicKey,
          sign: (message) => sodium.crypto_sign_detached(message, pair.privateKey),
          requestTimeoutMs: 120_000,
        });
        const address = await client.register({
          username: `bench${i}`,
          displayName: `Bench ${i}`,
          invitationCode: null,
        });
        devices[i] = { client, address };
      }
    }),
  );
  for (let i = 0; i < devices.length; i += 50) {
    await Promise.all(devices.slice(i, i + 50).map((d) => d.client.connect(d.address)));
  }
  return devices;
}

/** Envelopes/s through the relay: senders keep WINDOW sends in flight; receivers ack. */
interface Measured {
  readonly rate: number;
  readonly serverCores: number;
  readonly clientCores: number;
}

async function relayThroughput(devices: Device[], relay: Child): Promise<Measured> {
  const bytes = payload();
  let received = 0;
  let running = true;
  for (let i = 0; i < PAIRS; i++) {
    devices[PAIRS + i]!.client.onEnvelopes(async (envelopes) => {
      received += envelopes.length;
    });
  }
  const loops = Array.from({ length: PAIRS }, async (_, i) => {
    const sender = devices[i]!.client;
    const to = devices[PAIRS + i]!.address;
    const lane = async () => {
      while (running) await sender.send([{ to, bytes }]);
    };
    await Promise.all(Array.from({ length: WINDOW }, lane));
  });
  await sleep(WARMUP_MS);
  const start = received;
  const t0 = performance.now();
  const cpu = await withCpu(relay.pid, () => sleep(MEASURE_MS));
  const rate = ((received - start) * 1000) / (performance.now() - t0);
  running = false;
  await Promise.all(loops);
  return { rate, serverCores: cpu.childCores, clientCores: cpu.selfCores };
}

/**
 * The same traffic through the bare server, from the same number of client sockets. Senders
 * coalesce what they send in one turn of the event loop into one frame, as RelayClient does.
 */
async function bareThroughput(bare: Child): Promise<Measured> {
  const url = bare.url;
  const open = (address: string) =>
    connectSocket(url, { transports: ['websocket'], forceNew: true, auth: { address } });
  const sockets: Socket[] = [];
  const bytes = payload();
  let received = 0;
  let running = true;
  for (let i = 0; i < PAIRS; i++) {
    const sender = open(`s${i}.1`);
    const receiver = open(`r${i}.1`);
    sockets.push(sender, receiver);
    const to = { userId: `r${i}`, deviceId: 1 };
    let inFlight = 0;
    let queued = false;
    const pump = () => {
      queued = false;
      const room = WINDOW - inFlight;
      if (!running || room <= 0) return;
      inFlight += room;
      const batches = Array.from({ length: room }, (_, seq) => ({ seq, envelopes: [{ to, bytes }] }));
      const frame = Buffer.from(encodeSendFrame(batches));
      // Large frames as bytes, small ones as base64url text: the rule RelayClient follows.
      sender.emit(
        'envelopes:send',
        frame.length >= BINARY_FRAME_MIN_BYTES ? frame : frame.toString('base64url'),
      );
    };
    receiver.on('envelope', () => {
      received++;
      inFlight--;
      if (!queued) {
        queued = true;
        queueMicrotask(pump);
      }
    });
    receiver.once('connect', () => (sender.connected ? pump() : sender.once('connect', pump)));
  }
  await sleep(WARMUP_MS);
  const start = received;
  const t0 = performance.now();
  const cpu = await withCpu(bare.pid, () => sleep(MEASURE_MS));
  const rate = ((received - start) * 1000) / (performance.now() - t0);
  running = false;
  for (const s of sockets) s.close();
  return { rate, serverCores: cpu.childCores, clientCores: cpu.selfCores };
}

function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

interface Latency {
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
  readonly delivered: number;
  readonly serverCores: number;
  readonly clientCores: number;
}

/**
 * Open loop: LATENCY_RATE envelopes/s spread over `count` devices, each to its partner (pairs
 * both ways), whatever the answers; the time from sending to the recipient's handler. `send`
 * sends one envelope; `listen` registers what is called with every envelope received.
 */
async function openLoopLatency(
  count: number,
  server: Child,
  send: (from: number, to: number, bytes: Uint8Array) => void,
  listen: (receive: (bytes: Uint8Array) => void) => void,
): Promise<Latency> {
  const latencies: number[] = [];
  let measuring = false;
  const half = count / 2;
  const partner = (i: number) => (i < half ? i + half : i - half);
  listen((bytes) => {
    const sent = new DataView(bytes.buffer, bytes.byteOffset, 8).getFloat64(0);
    if (measuring && sent >= 0) latencies.push(performance.now() - sent);
  });
  let sent = 0;
  const start = performance.now();
  let cursor = 0;
  const tick = setInterval(() => {
    const due = Math.floor(((performance.now() - start) * LATENCY_RATE) / 1000) - sent;
    for (let k = 0; k < due; k++) {
      const i = cursor++ % count;
      const bytes = payload();
      // Envelopes sent during warm-up carry -1 and are not measured.
      new DataView(bytes.buffer).setFloat64(0, measuring ? performance.now() : -1);
      send(i, partner(i), bytes);
    }
    sent += Math.max(0, due);
  }, 2);
  await sleep(WARMUP_MS);
  measuring = true;
  const t0 = performance.now();
  const cpu = await withCpu(server.pid, () => sleep(LATENCY_MEASURE_MS));
  measuring = false;
  const elapsed = performance.now() - t0;
  clearInterval(tick);
  await sleep(500);
  const sorted = Float64Array.from(latencies).sort();
  return {
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    max: sorted[sorted.length - 1] ?? Number.NaN,
    delivered: (latencies.length * 1000) / elapsed,
    serverCores: cpu.childCores,
    clientCores: cpu.selfCores,
  };
}

async function relayLatency(devices: Device[], relay: Child): Promise<Latency> {
  let failed = 0;
  const result = await openLoopLatency(
    devices.length,
    relay,
    (from, to, bytes) => {
      devices[from]!.client.send([{ to: devices[to]!.address, bytes }]).catch(() => {
        failed++;
      });
    },
    (receive) => {
      for (const device of devices) {
        device.client.onEnvelopes(async (envelopes) => {
          for (const e of envelopes) receive(e.bytes);
        });
      }
    },
  );
  if (failed > 0) console.error(`relay.latency: ${failed} sends failed`);
  return result;
}

/** The same open loop through the bare server, from the same number of client sockets. */
async function bareLatency(bare: Child): Promise<Latency> {
  const sockets = Array.from({ length: LATENCY_DEVICES }, (_, i) =>
    connectSocket(bare.url, { transports: ['websocket'], forceNew: true, auth: { address: `b${i}.1` } }),
  );
  await Promise.all(sockets.map((s) => new Promise<void>((resolve) => s.once('connect', () => resolve()))));
  try {
    return await openLoopLatency(
      sockets.length,
      bare,
      (from, to, bytes) => {
        const frame = encodeSendFrame([
          { seq: 0, envelopes: [{ to: { userId: `b${to}`, deviceId: 1 }, bytes }] },
        ]);
        sockets[from]!.emit('envelopes:send', Buffer.from(frame).toString('base64url'));
      },
      (receive) => {
        for (const s of sockets) s.on('envelope', (text: string) => receive(Buffer.from(text, 'base64url')));
      },
    );
  } finally {
    for (const s of sockets) s.close();
  }
}

async function withRelay<T>(
  sodium: Sodium,
  devices: number,
  work: (devices: Device[], relay: Child) => Promise<T>,
): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), 'parley-bench-relay-'));
  const relay = await startRelayProcess(dir);
  let clients: Device[] = [];
  try {
    clients = await registerDevices(sodium, relay.url, devices);
    return await work(clients, relay);
  } finally {
    await Promise.all(clients.map((d) => d?.client.close()));
    await relay.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function run(report: Report): Promise<void> {
  await sodiumModule.ready;
  const sodium = sodiumModule;

  if (PART !== 'latency') await throughput(sodium, report);
  if (PART !== 'throughput') await latency(sodium, report);
}

async function throughput(sodium: Sodium, report: Report): Promise<void> {
  const loadAtStart = loadavg()[0] ?? 0;
  let best: Measured = { rate: 0, serverCores: 0, clientCores: 0 };
  let bestBare: Measured = { rate: 0, serverCores: 0, clientCores: 0 };
  for (let r = 0; r < ROUNDS; r++) {
    const bare = await startBareProcess();
    try {
      const measured = await bareThroughput(bare);
      if (measured.rate > bestBare.rate) bestBare = measured;
    } finally {
      await bare.stop();
    }
    const measured = await withRelay(sodium, PAIRS * 2, relayThroughput);
    if (measured.rate > best.rate) best = measured;
  }
  report({
    bench: 'relay.throughput',
    value: round(best.rate),
    unit: 'envelopes/s',
    baseline: 'bare socket.io',
    baseline_value: round(bestBare.rate),
    ratio: round(best.rate / bestBare.rate, 2),
    relay_cores: round(best.serverCores, 2),
    clients_cores: round(best.clientCores, 2),
    bare_cores: round(bestBare.serverCores, 2),
    bare_clients_cores: round(bestBare.clientCores, 2),
    pairs: PAIRS,
    envelope_bytes: ENVELOPE_BYTES,
    window: WINDOW,
    store: 'sqlite synchronous=FULL, group commit',
    // Other work on this shared machine when the run began (the cores above are what we got).
    load_1m: round(loadAtStart, 2),
  });
}

async function latency(sodium: Sodium, report: Report): Promise<void> {
  const latencyLoad = loadavg()[0] ?? 0;
  const bare = await startBareProcess();
  let bareResult: Latency;
  try {
    bareResult = await bareLatency(bare);
  } finally {
    await bare.stop();
  }
  const latency = await withRelay(sodium, LATENCY_DEVICES, relayLatency);
  report({
    bench: 'relay.latency',
    value: round(latency.p99),
    unit: 'ms',
    p50: round(latency.p50),
    p99: round(latency.p99),
    max: round(latency.max),
    devices: LATENCY_DEVICES,
    offered_per_s: LATENCY_RATE,
    baseline: 'bare socket.io, p99',
    baseline_value: round(bareResult.p99),
    delivered_per_s: round(latency.delivered),
    relay_cores: round(latency.serverCores, 2),
    clients_cores: round(latency.clientCores, 2),
    bare_p50: round(bareResult.p50),
    bare_delivered_per_s: round(bareResult.delivered),
    bare_cores: round(bareResult.serverCores, 2),
    bare_clients_cores: round(bareResult.clientCores, 2),
    envelope_bytes: ENVELOPE_BYTES,
    store: 'sqlite synchronous=FULL, group commit',
    load_1m: round(latencyLoad, 2),
  });
}

if (process.env.PARLEY_BENCH_ROLE === 'bare-relay') runBareRelay();
