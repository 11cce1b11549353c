/**
 * `npm run bench -- files`: a 1 GiB file from one messenger core to another through a relay, on
 * loopback, each of the three in its own process.
 *
 * files.transfer: MB/s of the whole way, timed from the sender's file.begin to the end of the
 *   recipient's file.save. The sender's core takes the file in pieces of 256 KiB (what the
 *   renderer hands over, file.rules maxChunkBytes) through the contract: file.chunk with the
 *   bytes as bytes, through the dispatcher as from the renderer (the renderer's own reading runs
 *   in this process here, the IPC between them is left out). It encrypts them on its attachment
 *   worker thread into its encrypted copy and uploads that while it grows; the message goes out
 *   once the relay holds it all. The recipient's core is asked to save it (file.save, "Save as"
 *   on a file not downloaded yet): it downloads the blob into its encrypted copy and decrypts the
 *   same bytes on its worker thread as they arrive into the folder, where the file appears once
 *   the blob's hash is checked. (Downloading first and saving later decrypts from the copy: one
 *   pass more.) CPU seconds of the three processes (all threads) are reported beside it: the
 *   machine is shared, and wall time suffers from its load more than CPU time does; so are the
 *   load average and what writing the file's size to a new file costs this machine in CPU,
 *   through the page cache (page_cache_write_cpu_s) and around it (direct_write_cpu_s, how the
 *   transfer writes its four copies: the sender's, the relay's blob, the recipient's, the saved
 *   file, where the system allows O_DIRECT; @parley/direct-io).
 *   The clients start as the app's main process does (widenGcHeadroom, @parley/gc-headroom), the
 *   relay as `npm run relay` does (relay/main.ts).
 *   Baseline, in the same run: raw secretstream push of the same number of bytes in 64 KiB
 *   chunks, in memory. Goal: ratio >= 0.3.
 * files.rss: the largest growth of resident memory (MB) of the sending and of the receiving
 *   process during its part, sampled every 50 ms, over its resident memory just before. Goal < 100.
 *   Most of it is garbage awaiting V8's collector: dead Buffers are freed when enough of them
 *   have piled up.
 *
 * Settings: PARLEY_BENCH_FILE_MIB (default 1024), PARLEY_BENCH_PIECE_KIB (default 256),
 * PARLEY_BENCH_PROFILE=<folder> (CPU profiles of all three processes), PARLEY_BENCH_MEMORY=1 (V8's
 * own figures at each process's peak, on stderr), PARLEY_BENCH_NODE_ARGS (more Node flags for the
 * three, e.g. --trace-gc) with PARLEY_BENCH_LOG=<file> (where their other output goes). The clients are this file run with
 * PARLEY_BENCH_ROLE=client.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createHash, randomFillSync } from 'node:crypto';
import { appendFileSync, createReadStream, createWriteStream, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { DirectFileWriter } from '@parley/direct-io';
import { widenGcHeadroom } from '@parley/gc-headroom';
import sodiumModule from 'libsodium-wrappers-sumo';
import { cpuSeconds } from './process-cpu';
import type { Report } from './report';
import { round } from './report';

const ROOT = join(__dirname, '..');
const MIB = 1024 * 1024;
const FILE_BYTES = Number(process.env.PARLEY_BENCH_FILE_MIB ?? 1024) * MIB;
const PIECE_BYTES = Number(process.env.PARLEY_BENCH_PIECE_KIB ?? 256) * 1024;
/** As the renderer: renderer/src/files/hand-over.ts PIECES_IN_FLIGHT (bench may not import the renderer). */
const PIECES_IN_FLIGHT = 3;

interface Line {
  readonly [key: string]: unknown;
}

interface Child {
  readonly pid: number;
  ask(command: Line): Promise<Line>;
  stop(): Promise<void>;
}

/** Starts a Node process; resolves once a stdout line matches `ready`. */
function startChild(
  args: string[],
  env: Record<string, string>,
  ready: RegExp,
): Promise<Child & { match: RegExpExecArray }> {
  return new Promise((resolve, reject) => {
    const child: ChildProcess = spawn(process.execPath, args, {
      cwd: ROOT,
      env: { ...process.env, ...env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let output = '';
    const waiting: ((line: Line) => void)[] = [];
    const timer = setTimeout(() => fail(new Error(`not ready after 60 s:\n${output}`)), 60_000);
    function fail(error: Error) {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(error);
    }
    let started = false;
    const lines = createInterface({ input: child.stdout! });
    lines.on('line', (line) => {
      if (!started) {
        output += `${line}\n`;
        const match = ready.exec(line);
        if (!match) return;
        started = true;
        clearTimeout(timer);
        resolve({
          pid: child.pid!,
          match,
          ask(command) {
            return new Promise((answer) => {
              waiting.push(answer);
              child.stdin!.write(`${JSON.stringify(command)}\n`);
            });
          },
          // Closing stdin lets a client exit by itself (writing a profile, if asked for one).
          stop: () =>
            new Promise<void>((done) => {
              if (child.exitCode !== null) return done();
              const timer = setTimeout(() => child.kill('SIGTERM'), 5_000);
              child.once('exit', () => {
                clearTimeout(timer);
                done();
              });
              child.stdin!.end();
            }),
        });
        return;
      }
      if (!line.startsWith('{')) {
        if (process.env.PARLEY_BENCH_LOG)
          appendFileSync(process.env.PARLEY_BENCH_LOG, `${child.pid} ${line}\n`);
        return;
      }
      const parsed = JSON.parse(line) as Line;
      if (parsed.error) console.error(`child ${child.pid}: ${String(parsed.error)}`);
      waiting.shift()?.(parsed);
    });
    child.stderr!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (started) process.stderr.write(chunk);
    });
    child.once('exit', (code) => {
      if (!started) fail(new Error(`exited with ${code} before it was ready:\n${output}`));
    });
  });
}

/** With PARLEY_BENCH_PROFILE=<folder>, every process writes a CPU profile there. */
function profileArgs(): string[] {
  const folder = process.env.PARLEY_BENCH_PROFILE;
  const extra = process.env.PARLEY_BENCH_NODE_ARGS?.split(' ').filter(Boolean) ?? [];
  return [...(folder ? ['--cpu-prof', `--cpu-prof-dir=${folder}`] : []), ...extra];
}

async function writeSource(path: string, bytes: number): Promise<string> {
  const hash = createHash('sha256');
  const out = createWriteStream(path);
  for (let written = 0; written < bytes; written += 16 * MIB) {
    const piece = randomFillSync(Buffer.allocUnsafe(Math.min(16 * MIB, bytes - written)));
    hash.update(piece);
    if (!out.write(piece)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
  }
  await new Promise<void>((resolve, reject) =>
    out.end((error?: Error | null) => (error ? reject(error) : resolve())),
  );
  // On disk before the clock starts: the kernel's writeback of the bench's own source file is
  // not part of the transfer.
  const written = await open(path, 'r');
  await written.sync();
  await written.close();
  return hash.digest('hex');
}

async function sha256Of(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path, { highWaterMark: 4 * MIB })) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** MB/s of crypto_secretstream_xchacha20poly1305_push over `bytes` in 64 KiB chunks in memory. */
async function rawSecretstream(bytes: number): Promise<number> {
  await sodiumModule.ready;
  const sodium = sodiumModule;
  const chunk = sodium.randombytes_buf(64 * 1024);
  const chunks = Math.ceil(bytes / chunk.length);
  const { state } = sodium.crypto_secretstream_xchacha20poly1305_init_push(
    sodium.crypto_secretstream_xchacha20poly1305_keygen(),
  );
  const start = performance.now();
  for (let i = 0; i < chunks; i++) {
    sodium.crypto_secretstream_xchacha20poly1305_push(
      state,
      chunk,
      null,
      i === chunks - 1
        ? sodium.crypto_secretstream_xchacha20poly1305_TAG_FINAL
        : sodium.crypto_secretstream_xchacha20poly1305_TAG_MESSAGE,
    );
  }
  return (chunks * chunk.length) / 1e6 / ((performance.now() - start) / 1000);
}

/**
 * CPU seconds this process spends writing `bytes` to a new file (into the page cache, no sync),
 * in 1 MiB writes: the machine's price of the four copies a transfer writes (the sender's
 * encrypted copy, the relay's blob, the recipient's copy and the saved file).
 */
/**
 * CPU seconds this process spends writing `bytes` of a new file through DirectFileWriter: around
 * the page cache where the system allows (how the transfer's copies are written), or through it.
 */
async function copyWriteCpuSeconds(path: string, bytes: number, direct: boolean): Promise<number> {
  const piece = randomFillSync(Buffer.allocUnsafe(MIB));
  const file = await DirectFileWriter.open(path, { flags: 'wx', direct });
  const before = process.cpuUsage();
  try {
    for (let written = 0; written < bytes; written += MIB) await file.append([piece]);
  } finally {
    await file.close();
  }
  const used = process.cpuUsage(before);
  rmSync(path, { force: true });
  return (used.user + used.system) / 1e6;
}

export async function run(report: Report): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'parley-bench-files-'));
  const children: Child[] = [];
  try {
    const source = join(dir, 'source.bin');
    const sourceHash = await writeSource(source, FILE_BYTES);
    const relay = await startChild(
      [
        ...profileArgs(),
        '--import',
        'tsx',
        'relay/main.ts',
        '--port=0',
        `--db=${join(dir, 'relay.sqlite')}`,
        `--blob-dir=${join(dir, 'blobs')}`,
        '--open-registration',
        '--relay-id=bench',
        `--blob-max-bytes=${FILE_BYTES + 64 * MIB}`,
        '--device-rate=10000000',
        '--address-rate=10000000',
        '--log-level=info',
      ],
      {},
      /"event":"relay\.started"[^\n]*"port":(\d+)/,
    );
    children.push(relay);
    const relayUrl = `http://127.0.0.1:${relay.match[1]}`;
    const client = async (name: string) => {
      const child = await startChild(
        [...profileArgs(), '--import', 'tsx', __filename],
        {
          PARLEY_BENCH_ROLE: 'client',
          PARLEY_BENCH_DIR: join(dir, name),
          PARLEY_BENCH_RELAY: relayUrl,
          PARLEY_BENCH_NAME: name,
        },
        /^\{"ready":true/,
      );
      children.push(child);
      return child;
    };
    const sender = await client('alice');
    const receiver = await client('bob');
    const { chat } = await sender.ask({ op: 'chat', peer: 'bob' });
    await sender.ask({ op: 'text', chat, text: 'here it comes' });
    await receiver.ask({ op: 'await-text' });

    const baselineBefore = await rawSecretstream(FILE_BYTES);
    const relayCpu = cpuSeconds(relay.pid);
    const started = performance.now();
    const sent = await sender.ask({ op: 'send', chat, path: source, size: FILE_BYTES });
    if (sent.error) throw new Error(String(sent.error));
    const received = await receiver.ask({ op: 'receive', messageId: sent.messageId });
    if (received.error) throw new Error(String(received.error));
    const seconds = (performance.now() - started) / 1000;
    const relayCpuSeconds = cpuSeconds(relay.pid) - relayCpu;
    // The machine is shared: the faster of two baselines, one on each side, keeps the ratio honest.
    const baseline = Math.max(baselineBefore, await rawSecretstream(FILE_BYTES));
    const savedHash = await sha256Of(String(received.savedPath));
    if (savedHash !== sourceHash) throw new Error('the saved file differs from the one sent');
    const cachedWriteCpu = await copyWriteCpuSeconds(join(dir, 'write-probe.bin'), FILE_BYTES, false);
    const directWriteCpu = await copyWriteCpuSeconds(join(dir, 'write-probe.bin'), FILE_BYTES, true);

    const value = FILE_BYTES / 1e6 / seconds;
    report({
      bench: 'files.transfer',
      value: round(value),
      unit: 'MB/s',
      baseline: 'raw secretstream push of the same bytes, 64 KiB chunks in memory',
      baseline_value: round(baseline),
      ratio: round(value / baseline),
      goal: 0.3,
      size_mib: FILE_BYTES / MIB,
      send_s: round(Number(sent.seconds)),
      receive_s: round(Number(received.seconds)),
      upload_done_after_handover_s: round(Number(sent.uploadTailSeconds)),
      sender_cpu_s: round(Number(sent.cpuSeconds)),
      relay_cpu_s: round(relayCpuSeconds),
      receiver_cpu_s: round(Number(received.cpuSeconds)),
      sender_system_s: round(Number(sent.systemSeconds)),
      receiver_system_s: round(Number(received.systemSeconds)),
      piece_kib: PIECE_BYTES / 1024,
      page_cache_write_cpu_s: round(cachedWriteCpu),
      direct_write_cpu_s: round(directWriteCpu),
      load_avg: round(loadavg()[0]!),
      note: 'sender: 256 KiB pieces through the contract, encrypt (worker thread), copy on disk, segmented upload; recipient: "Save as" = download, copy on disk, hash check, decrypt (worker thread) into the folder in one pass',
    });
    report({
      bench: 'files.rss',
      value: round(Math.max(Number(sent.rssGrowthMb), Number(received.rssGrowthMb))),
      unit: 'MB',
      goal: 100,
      sender_growth_mb: round(Number(sent.rssGrowthMb)),
      sender_base_mb: round(Number(sent.rssBaseMb)),
      receiver_growth_mb: round(Number(received.rssGrowthMb)),
      receiver_base_mb: round(Number(received.rssBaseMb)),
      note: 'largest growth of either process during its part, sampled every 50 ms',
    });
  } finally {
    for (const child of children.reverse()) await child.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Resident memory while `work` runs: the largest growth over the figure just before, in MB. */
async function measuredRss<T>(
  work: () => Promise<T>,
): Promise<T & { rssBaseMb: number; rssGrowthMb: number; cpuSeconds: number; systemSeconds: number }> {
  const cpu = process.cpuUsage();
  const base = process.memoryUsage.rss();
  let peak = base;
  const before = process.memoryUsage();
  let detail = before;
  const sampler = setInterval(() => {
    const rss = process.memoryUsage.rss();
    if (rss > peak && process.env.PARLEY_BENCH_MEMORY) detail = process.memoryUsage();
    peak = Math.max(peak, rss);
  }, 50);
  try {
    const result = await work();
    peak = Math.max(peak, process.memoryUsage.rss());
    if (process.env.PARLEY_BENCH_MEMORY) console.error(JSON.stringify({ pid: process.pid, before, detail }));
    const used = process.cpuUsage(cpu);
    return {
      ...result,
      rssBaseMb: base / 1e6,
      rssGrowthMb: (peak - base) / 1e6,
      cpuSeconds: (used.user + used.system) / 1e6,
      systemSeconds: used.system / 1e6,
    };
  } finally {
    clearInterval(sampler);
  }
}

/** A messenger core driven by JSON lines on stdin (one answer line per command). */
async function runClient(): Promise<void> {
  // As the app's main process does first (electron/main.ts).
  widenGcHeadroom();
  const { createCore } = await import('../electron/core/create-core');
  const { createDispatcher } = await import('../electron/core/api/dispatcher');
  const { loadSodium } = await import('../electron/core/crypto');
  const { relayClientConnector } = await import('../electron/core/messenger/relay-client-connector');
  const { folderFileSaver } = await import('../electron/core/files/folder-file-saver');
  const { minimumLimits } = await import('../electron/core/store');
  const dataDir = process.env.PARLEY_BENCH_DIR!;
  const saves = join(dataDir, 'saved');
  mkdirSync(saves, { recursive: true });
  const quiet = { info() {}, warn() {}, error() {} };
  const sodium = await loadSodium();
  const core = await createCore({
    dataDir,
    defaultRelayUrl: process.env.PARLEY_BENCH_RELAY!,
    appVersion: 'bench',
    logger: quiet,
    relays: relayClientConnector(quiet),
    pwhashLimits: minimumLimits(sodium),
    files: { saver: folderFileSaver(saves) },
  });
  const dispatch = createDispatcher(core.handlers, quiet);
  const call = async <T>(method: string, args?: unknown): Promise<T> => {
    const result = await dispatch(method, args);
    if (!result.ok) throw new Error(`${method}: ${result.error.code}: ${result.error.message}`);
    return result.value as T;
  };
  const listeners = new Set<(event: string, payload: Line) => void>();
  core.events.subscribe((event, payload) => {
    for (const listener of listeners) listener(event, payload as unknown as Line);
  });
  const until = (check: (event: string, payload: Line) => boolean) =>
    new Promise<void>((resolve) => {
      const listener = (event: string, payload: Line) => {
        if (!check(event, payload)) return;
        listeners.delete(listener);
        resolve();
      };
      listeners.add(listener);
    });
  const name = process.env.PARLEY_BENCH_NAME!;
  await call('account.create', {
    relayUrl: process.env.PARLEY_BENCH_RELAY!,
    username: name,
    displayName: name,
    invitationCode: null,
    passphrase: 'correct horse battery staple',
  });
  while ((await call<{ connection: string }>('app.state')).connection !== 'online') {
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  await call('file.setAutoDownload', { maxBytes: 0 });
  const print = (line: Line) => process.stdout.write(`${JSON.stringify(line)}\n`);
  print({ ready: true });

  const lines = createInterface({ input: process.stdin })[Symbol.asyncIterator]();
  let text: Promise<void> = until((event) => event === 'message.added');
  const transferDone = (messageId: unknown, state: string) =>
    until((event, p) => event === 'transfer.progress' && p.messageId === messageId && p.state === state);
  for (;;) {
    const next = await lines.next();
    if (next.done) break;
    const command = JSON.parse(next.value) as Line;
    try {
      if (command.op === 'chat') {
        const users = await call<{ userId: string; username: string }[]>('directory.search', {
          query: command.peer,
        });
        const user = users.find((u) => u.username === command.peer)!;
        print({ chat: (await call<{ id: string }>('conversation.open', { userId: user.userId })).id });
      } else if (command.op === 'text') {
        await call('conversation.send', { conversationId: command.chat, text: command.text });
        print({ ok: true });
      } else if (command.op === 'await-text') {
        await text;
        text = Promise.resolve();
        print({ ok: true });
      } else if (command.op === 'send') {
        const result = await measuredRss(async () => {
          const rules = await call<{ maxChunkBytes: number }>('file.rules');
          if (PIECE_BYTES > rules.maxChunkBytes) {
            throw new Error(
              `PARLEY_BENCH_PIECE_KIB: the core takes pieces of ${rules.maxChunkBytes / 1024} KiB at most`,
            );
          }
          const start = performance.now();
          const size = Number(command.size);
          const begun = await call<{ transferId: string }>('file.begin', {
            conversationId: command.chat,
            name: 'bench.bin',
            size,
            mimeType: 'application/octet-stream',
            thumbnail: null,
          });
          const uploaded = transferDone(begun.transferId, 'uploaded');
          // The renderer's part (in another process in the app): read a piece into memory of its
          // own (the bytes the IPC would deliver) and hand it over, with as many pieces on their
          // way at once as the renderer keeps (renderer/src/files/hand-over.ts).
          const source = await open(String(command.path), 'r');
          try {
            const inFlight: Promise<unknown>[] = [];
            for (let offset = 0; offset < size; offset += PIECE_BYTES) {
              const data = new Uint8Array(Math.min(PIECE_BYTES, size - offset));
              const { bytesRead } = await source.read(data, 0, data.length, offset);
              if (bytesRead !== data.length) throw new Error('the source file read short');
              inFlight.push(call('file.chunk', { transferId: begun.transferId, offset, data }));
              if (inFlight.length >= PIECES_IN_FLIGHT) await inFlight.shift();
            }
            await Promise.all(inFlight);
          } finally {
            await source.close();
          }
          await call('file.finish', { transferId: begun.transferId });
          const handedOver = performance.now();
          await uploaded;
          const end = performance.now();
          return {
            messageId: begun.transferId,
            seconds: (end - start) / 1000,
            uploadTailSeconds: (end - handedOver) / 1000,
          };
        });
        print(result);
      } else if (command.op === 'receive') {
        const messageId = command.messageId;
        const conversations = await call<{ id: string }[]>('conversation.list');
        const conversationId = conversations[0]!.id;
        const arrived = async () => {
          const page = await call<{ messages: { id: string; attachment?: { state: string } | null }[] }>(
            'conversation.messages',
            { conversationId, before: null, limit: 20 },
          );
          return page.messages.some((m) => m.id === messageId && m.attachment?.state === 'available');
        };
        while (!(await arrived())) await new Promise((resolve) => setTimeout(resolve, 5));
        const result = await measuredRss(async () => {
          const start = performance.now();
          // "Save as" on the received file: downloaded and decrypted into the folder in one pass.
          const saved = await call<{ fileName: string }>('file.save', { messageId });
          const end = performance.now();
          return { seconds: (end - start) / 1000, savedPath: join(saves, saved.fileName) };
        });
        print(result);
      }
    } catch (error) {
      print({ error: error instanceof Error ? error.message : String(error) });
    }
  }
  await core.close();
  process.exit(0);
}

if (process.env.PARLEY_BENCH_ROLE === 'client') {
  runClient().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
