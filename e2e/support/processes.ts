/**
 * Starts the real built programs for end-to-end tests: the standalone relay and browser hosts,
 * each as its own process in its own temporary folder, and stops them by PID.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const ROOT = join(__dirname, '..', '..');
export const ARTIFACTS = join(ROOT, 'artifacts', 'e2e');

export interface Running {
  readonly process: ChildProcess;
  readonly output: () => string;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

function run(args: readonly string[], env: Record<string, string> = {}): Running {
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { ...process.env, CI: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk) => {
    output += chunk;
  });
  child.stderr?.on('data', (chunk) => {
    output += chunk;
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    process: child,
    output: () => output,
    async stop(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}

async function waitFor(
  running: Running,
  pattern: RegExp,
  what: string,
  timeoutMs = 30_000,
): Promise<RegExpMatchArray> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const match = running.output().match(pattern);
    if (match) return match;
    if (running.process.exitCode !== null) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`${what} did not start. Its output:\n${running.output()}`);
}

export interface TempDir {
  readonly path: string;
  remove(): void;
}

export function tempDir(prefix: string): TempDir {
  const path = mkdtempSync(join(tmpdir(), `parley-e2e-${prefix}-`));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

export interface RelayProcess extends Running {
  readonly url: string;
  readonly dir: TempDir;
}

/** The standalone relay (`dist/relay.cjs`) on a free loopback port, with open registration. */
export async function startRelayProcess(): Promise<RelayProcess> {
  const dir = tempDir('relay');
  const running = run([
    'dist/relay.cjs',
    '--port=0',
    `--db=${join(dir.path, 'relay.sqlite')}`,
    `--blob-dir=${join(dir.path, 'blobs')}`,
    '--open-registration',
  ]);
  const match = await waitFor(running, /"event":"relay\.started"[^\n]*"port":(\d+)/, 'The relay');
  return { ...running, url: `http://127.0.0.1:${match[1]}`, dir };
}

export interface HostProcess extends Running {
  readonly url: string;
}

/** A browser host (`dist/host.cjs`) for one user's data folder, connected to `relayUrl`. */
export async function startHostProcess(dataDir: string, relayUrl: string): Promise<HostProcess> {
  const running = run(['dist/host.cjs', `--data-dir=${dataDir}`, `--relay-url=${relayUrl}`, '--no-open']);
  const match = await waitFor(
    running,
    /(http:\/\/127\.0\.0\.1:\d+\/#token=[A-Za-z0-9_-]+)/,
    'The browser host',
  );
  return { ...running, url: match[1]! };
}

/** The installed Electron binary, or null where its download was impossible. */
export function electronBinary(): string | null {
  try {
    const path: unknown = require('electron');
    return typeof path === 'string' && existsSync(path) ? path : null;
  } catch {
    return null;
  }
}

/** A TCP port free on 127.0.0.1 right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}
