/**
 * A real Redis server for a test, from Debian's package: started in a temporary folder on a free
 * loopback port without persistence, stopped by its PID, folder removed. When it cannot start,
 * the error says why (with its output), so the test fails with a reason.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './free-port';
import { stopByPid, stopOnExit } from './stop-by-pid';

export const REDIS_SERVER = process.env.PARLEY_REDIS_SERVER ?? '/usr/bin/redis-server';

export interface RedisServer {
  readonly url: string;
  readonly port: number;
  stop(): Promise<void>;
}

function waitUntilReady(child: ChildProcess, output: () => string): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => done(new Error(`it did not become ready in 20 s.\n${output()}`)), 20_000);
    const onData = () => {
      if (output().includes('Ready to accept connections')) done();
    };
    const onExit = (code: number | null) => done(new Error(`it exited with code ${code}.\n${output()}`));
    const onError = (error: Error) => done(error);
    function done(error?: Error) {
      clearTimeout(timer);
      child.stdout?.off('data', onData);
      child.off('exit', onExit);
      child.off('error', onError);
      if (error) reject(error);
      else resolve();
    }
    child.stdout?.on('data', onData);
    child.once('exit', onExit);
    child.once('error', onError);
  });
}

export async function startRedis(): Promise<RedisServer> {
  if (!existsSync(REDIS_SERVER)) {
    throw new Error(
      `Redis could not start: ${REDIS_SERVER} is missing. Install it with "apt-get install -y redis-server" (.ci/run does).`,
    );
  }
  const dir = mkdtempSync(join(tmpdir(), 'parley-redis-'));
  const port = await freePort();
  const child = spawn(
    REDIS_SERVER,
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  const collect = (chunk: Buffer) => {
    if (output.length < 20_000) output += chunk.toString();
  };
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  const release = child.pid ? stopOnExit(child.pid) : () => {};
  try {
    await waitUntilReady(child, () => output);
  } catch (error) {
    release();
    if (child.pid) await stopByPid(child.pid);
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`Redis could not start: ${(error as Error).message}`);
  }
  const pid = child.pid!;
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    async stop() {
      release();
      await stopByPid(pid);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
