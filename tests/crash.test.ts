/**
 * Kill -9 in the middle of a burst, repeatedly, on both the sending and the receiving side: no
 * message the sender's UI accepted is lost, and none is shown twice. Each client is its own
 * process (tests/support/client-process.ts) with its own encrypted store; the relay is real.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { type MessengerWorld, messengerWorld } from './support/messenger-world';

const ROOT = join(__dirname, '..');

class ChildClient {
  readonly lines: Record<string, unknown>[] = [];
  private child: ChildProcess | null = null;

  constructor(
    private readonly dataDir: string,
    private readonly relayUrl: string,
    readonly username: string,
  ) {}

  async start(): Promise<void> {
    // Node itself runs the client (tsx as a loader, not tsx's CLI, which would put a wrapper
    // process in between): SIGKILL must hit the process that holds the store.
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        join(ROOT, 'tests', 'support', 'client-process.ts'),
        this.dataDir,
        this.relayUrl,
        this.username,
      ],
      { cwd: ROOT, stdio: ['pipe', 'pipe', 'inherit'] },
    );
    this.child = child;
    createInterface({ input: child.stdout! }).on('line', (line) => {
      try {
        this.lines.push(JSON.parse(line) as Record<string, unknown>);
      } catch {
        // not one of ours
      }
    });
    const from = this.lines.length;
    await this.until(() => this.lines.slice(from).some((l) => 'ready' in l), 30_000, 'ready');
  }

  command(command: Record<string, unknown>): void {
    this.child?.stdin?.write(`${JSON.stringify(command)}\n`);
  }

  sent(): string[] {
    return this.lines.filter((l) => 'sent' in l).map((l) => l.sent as string);
  }

  async texts(peer: string): Promise<string[]> {
    const from = this.lines.length;
    this.command({ op: 'texts', peer });
    await this.until(() => this.lines.slice(from).some((l) => 'texts' in l), 10_000, 'texts');
    return this.lines.slice(from).find((l) => 'texts' in l)!.texts as string[];
  }

  async kill(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
    expect(child.signalCode).toBe('SIGKILL');
    this.child = null;
  }

  async until(check: () => boolean, timeoutMs: number, what: string): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!check()) {
      const failed = this.lines.find((l) => 'error' in l);
      if (failed) throw new Error(`${this.username}: ${String(failed.error)}`);
      if (Date.now() > deadline) throw new Error(`${this.username}: timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 25));
    }
  }
}

let world: MessengerWorld;
const clients: ChildClient[] = [];
beforeEach(async () => {
  world = await messengerWorld();
});
afterEach(async () => {
  for (const c of clients.splice(0)) await c.kill();
  await world.close();
});

it('loses nothing and shows nothing twice when both sides are killed mid-burst, three times', async () => {
  const bob = new ChildClient(join(world.dir, 'bob'), world.relayUrl, 'bob');
  const alice = new ChildClient(join(world.dir, 'alice'), world.relayUrl, 'alice');
  clients.push(bob, alice);
  await bob.start();
  await alice.start();

  const attempted: string[] = [];
  for (let round = 0; round < 3; round++) {
    const texts = Array.from({ length: 40 }, (_, i) => `round ${round} message ${i}`);
    attempted.push(...texts);
    const before = alice.sent().length;
    alice.command({ op: 'send', peer: 'bob', texts });
    // Let part of the burst through, then kill both in the middle of sending and receiving.
    await alice.until(() => alice.sent().length >= before + 8 + round * 6, 30_000, 'part of the burst');
    await Promise.all([alice.kill(), bob.kill()]);
    await bob.start();
    await alice.start();
  }

  const accepted = alice.sent();
  expect(accepted.length).toBeGreaterThanOrEqual(8 + 14 + 20);
  let received = await bob.texts('alice');
  for (let i = 0; i < 120 && !accepted.every((t) => received.includes(t)); i++) {
    await new Promise((r) => setTimeout(r, 500));
    received = await bob.texts('alice');
  }
  // Every message Alice's UI accepted arrived; nothing arrived twice; nothing unknown arrived.
  expect(accepted.filter((t) => !received.includes(t))).toEqual([]);
  expect(received.length).toBe(new Set(received).size);
  expect(received.every((t) => attempted.includes(t))).toBe(true);
  // And in the order they were sent, within each round.
  const positions = accepted.map((t) => received.indexOf(t));
  expect([...positions].sort((a, b) => a - b)).toEqual(positions);
}, 240_000);
