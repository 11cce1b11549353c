/**
 * Foundation: a relay and two browser hosts (two users, separate data folders); each opens in
 * Chromium on Parley's first screen.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import {
  ARTIFACTS,
  electronBinary,
  freePort,
  type HostProcess,
  type RelayProcess,
  ROOT,
  startHostProcess,
  startRelayProcess,
  tempDir,
} from './support/processes';

let relay: RelayProcess;
const hosts: HostProcess[] = [];
const dirs = [tempDir('alice'), tempDir('bob')];

test.beforeAll(async () => {
  relay = await startRelayProcess();
  for (const dir of dirs) hosts.push(await startHostProcess(dir.path, relay.url));
});

test.afterAll(async () => {
  for (const host of hosts) await host.stop();
  await relay?.stop();
  for (const dir of [...dirs, relay?.dir]) dir?.remove();
});

test('two users each see the first screen', async ({ browser }) => {
  for (const [i, host] of hosts.entries()) {
    const context = await browser.newContext();
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(message.text());
    });
    await page.goto(host.url);
    await expect(page.getByRole('heading', { name: 'Welcome to Parley' })).toBeVisible();
    await expect(page.getByLabel('Relay address')).toHaveValue(relay.url);
    // The launch token leaves the address bar once the page has it.
    expect(page.url()).not.toContain('token=');
    await page.screenshot({ path: join(ARTIFACTS, `first-screen-${i === 0 ? 'alice' : 'bob'}.png`) });
    expect(errors).toEqual([]);
    await context.close();
  }
});

test('npm start without Electron runs the browser host with an embedded relay', async ({ browser }) => {
  test.skip(
    electronBinary() !== null,
    'Electron is installed here, so npm start opens the desktop app instead.',
  );
  const data = tempDir('start');
  const port = await freePort();
  const start = spawn(
    process.execPath,
    ['dist/start.cjs', `--data-dir=${data.path}`, `--embedded-relay-port=${port}`, '--no-open'],
    {
      cwd: ROOT,
      env: { ...process.env, PARLEY_RELAY_URL: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  start.stdout.on('data', (chunk) => {
    output += chunk;
  });
  try {
    await expect.poll(() => output, { timeout: 30_000 }).toMatch(/http:\/\/127\.0\.0\.1:\d+\/#token=/);
    expect(output).toContain('Electron is not installed on this machine');
    expect(output).toContain(`Built-in relay: http://127.0.0.1:${port}`);
    const url = output.match(/(http:\/\/127\.0\.0\.1:\d+\/#token=[A-Za-z0-9_-]+)/)![1]!;
    const health = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect(health.status).toBe(200);
    const page = await browser.newPage();
    await page.goto(url);
    await expect(page.getByRole('heading', { name: 'Welcome to Parley' })).toBeVisible();
    await expect(page.getByLabel('Relay address')).toHaveValue(`http://127.0.0.1:${port}`);
    await page.close();
  } finally {
    start.kill('SIGTERM');
    await new Promise((resolve) => start.once('exit', resolve));
    data.remove();
  }
});
