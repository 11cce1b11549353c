/**
 * The standalone relay as a separate process, from sources (`node --import tsx relay/main.ts`,
 * what `npm run relay` builds): run a command to its end, or start the server and wait for its
 * "relay.started" log line. `stopAll()` kills what is still running (for afterEach).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');

export interface CommandRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export interface RelayProcess {
  readonly child: ChildProcess;
  readonly url: string;
  readonly pid: number;
  output(): string;
  readonly exited: Promise<number | null>;
  /** SIGTERM, then waits for the exit code. */
  stop(): Promise<number | null>;
}

const running = new Set<ChildProcess>();

function spawnRelay(args: readonly string[]): ChildProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'relay/main.ts'), ...args], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  child.once('exit', () => running.delete(child));
  return child;
}

/** Runs `npm run relay -- <args>` to its end. */
export function runRelayCommand(args: readonly string[]): Promise<CommandRun> {
  return new Promise((resolve, reject) => {
    const child = spawnRelay(args);
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (c: Buffer) => {
      stdout += c.toString();
    });
    child.stderr?.on('data', (c: Buffer) => {
      stderr += c.toString();
    });
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Starts the relay server and waits until it listens; fails with its output if it exits first. */
export function startRelayProcess(args: readonly string[]): Promise<RelayProcess> {
  const child = spawnRelay(args);
  let output = '';
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /"event":"relay\.started"[^\n]*"port":(\d+)/.exec(output);
      if (!match) return;
      resolve({
        child,
        pid: child.pid!,
        url: `http://127.0.0.1:${match[1]}`,
        output: () => output,
        exited,
        stop: () => {
          if (child.exitCode === null) child.kill('SIGTERM');
          return exited;
        },
      });
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    void exited.then((code) =>
      reject(new Error(`the relay exited (${code}) before it listened:\n${output}`)),
    );
  });
}

/** Kills every relay process these helpers started that is still running. */
export async function stopAllRelayProcesses(): Promise<void> {
  await Promise.all(
    [...running].map(
      (child) =>
        new Promise<void>((resolve) => {
          child.once('exit', () => resolve());
          child.kill('SIGKILL');
        }),
    ),
  );
}
