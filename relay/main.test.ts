/**
 * The standalone relay process (`node --import tsx relay/main.ts`, what `npm run relay` builds):
 * health routes, a clean stop on SIGTERM, clear errors for bad options, and `invite create`.
 * tests/relay-cli.test.ts runs the admin commands against a running relay with real devices.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runRelayCommand, startRelayProcess, stopAllRelayProcesses } from '../tests/support/relay-process';

const dirs: string[] = [];
afterEach(async () => {
  await stopAllRelayProcesses();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'parley-relay-main-'));
  dirs.push(dir);
  return dir;
}

describe('relay process', () => {
  it('answers /healthz and /readyz, and stops cleanly on SIGTERM, saying so', async () => {
    const dir = tempDir();
    const relay = await startRelayProcess([
      '--port=0',
      `--db=${join(dir, 'r.sqlite')}`,
      `--blob-dir=${join(dir, 'b')}`,
    ]);
    const health = await fetch(`${relay.url}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok' });
    expect((await fetch(`${relay.url}/readyz`)).status).toBe(200);
    // The standalone relay keeps SQLite in its worker thread (the metrics read the store there).
    expect(relay.output()).toMatch(/"store":"sqlite \(worker thread\)"/);
    expect(await (await fetch(`${relay.url}/metrics`)).text()).toMatch(/parley_relay_mailbox_depth 0/);
    expect(await relay.stop()).toBe(0);
    expect(relay.output()).toMatch(/"event":"relay\.signal","signal":"SIGTERM"/);
    expect(relay.output()).toMatch(/"event":"relay\.stopped"/);
  });

  it('prints a clear error and exits non-zero on a bad option', async () => {
    const badPort = await runRelayCommand(['--port=abc']);
    expect(badPort.code).toBe(2);
    expect(badPort.stderr).toMatch(
      /--port must be a whole number from 0 to 65535; got "abc"\. \[CONFIG_INVALID\]/,
    );
    const unknown = await runRelayCommand(['--frobnicate']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/Unknown option "--frobnicate"/);
    const command = await runRelayCommand(['frobnicate']);
    expect(command.code).toBe(2);
    expect(command.stderr).toMatch(/Unknown command "frobnicate"/);
    const open = await runRelayCommand(['--open-registration', '--host', '0.0.0.0']);
    expect(open.code).toBe(2);
    expect(open.stderr).toMatch(/Open registration is allowed only when the relay listens on loopback/);
    const help = await runRelayCommand(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/invite create --username NAME/);
  });

  it('invite create prints a one-time code, and refuses a missing or taken username', async () => {
    const db = `--db=${join(tempDir(), 'r.sqlite')}`;
    const missing = await runRelayCommand(['invite', 'create', db]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/needs --username/);
    const invite = await runRelayCommand(['invite', 'create', '--username', 'alice', db]);
    expect(invite.code).toBe(0);
    expect(invite.stdout.trim()).toMatch(/^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
    expect(invite.stderr).toMatch(/Invitation for alice, valid once until/);
    const second = await runRelayCommand(['invite', 'create', '--username=alice', db]);
    expect(second.code).toBe(0);
    expect(second.stdout.trim()).not.toBe(invite.stdout.trim());
    const bad = await runRelayCommand(['invite', 'create', '--username', 'Alice!', db]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/\[INVALID_ARGUMENT\]/);
  });
});
