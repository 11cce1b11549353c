/**
 * Foundation: a relay and two browser hosts (two users, separate data folders); each opens in
 * Chromium on Parley's first screen.
 */
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { ARTIFACTS, type HostProcess, type RelayProcess, startHostProcess, startRelayProcess, tempDir } from './support/processes';

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
