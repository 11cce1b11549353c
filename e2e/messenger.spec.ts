/**
 * Issue 5 end to end in Chromium through two browser hosts and a relay, all real processes:
 * Alice and Bob set up, find each other, write both ways, compare safety numbers and mark them
 * verified; Bob's host restarts and his history is still there. Every screen is checked with
 * axe-core and saved as a screenshot (light and dark). Afterwards neither database file shows
 * the SQLite header or any sent text.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { expect, type Page, test } from '@playwright/test';
import { onboard, openPage, PASSPHRASE, startChat } from './support/onboarding';
import { shot } from './support/screenshots';
import { startTwoPeople, type TwoPeople } from './support/two-people';

// One story in steps: a later step makes sense only after the earlier ones.
test.describe.configure({ mode: 'serial' });
let people: TwoPeople;

test.beforeAll(async () => {
  people = await startTwoPeople('chat');
});

test.afterAll(async () => {
  await people?.stop();
});

async function accessible(page: Page, screen: string): Promise<void> {
  const results = await new AxeBuilder({ page }).analyze();
  const serious = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(serious.map((v) => `${screen}: ${v.id}: ${v.help}`)).toEqual([]);
}

function messages(page: Page) {
  return page.getByRole('log', { name: 'Messages' });
}

test('Alice and Bob talk, verify each other, and Bob keeps his history across a restart', async ({
  browser,
}) => {
  const alice = await openPage(browser, people.host('alice').url);
  await accessible(alice, 'first run');
  await onboard(alice, 'alice', 'Alice Archer');
  await shot(alice, 'main-empty');
  await accessible(alice, 'empty main screen');

  const bob = await openPage(browser, people.host('bob').url);
  await onboard(bob, 'bob', 'Bob Baker');

  // Alice finds Bob and writes.
  await startChat(alice, 'bob', 'Bob Baker');
  await shot(alice, 'chat-new');
  const composer = alice.getByRole('textbox', { name: 'Message' });
  await composer.fill('Hi Bob! Lunch at noon?');
  await composer.press('Enter');
  await expect(messages(alice).getByText('Hi Bob! Lunch at noon?')).toBeVisible();

  // Bob sees the conversation, opens it, and answers on two lines.
  const fromAlice = bob
    .getByRole('navigation', { name: 'Conversations' })
    .getByRole('button', { name: /Alice Archer/ });
  await expect(fromAlice).toBeVisible({ timeout: 20_000 });
  await shot(bob, 'list-unread');
  await fromAlice.click();
  await expect(messages(bob).getByText('Hi Bob! Lunch at noon?')).toBeVisible();
  const bobComposer = bob.getByRole('textbox', { name: 'Message' });
  await bobComposer.fill('Sounds good.');
  await bobComposer.press('Shift+Enter');
  await bobComposer.pressSequentially('See you there!');
  await bobComposer.press('Enter');
  await expect(messages(alice).getByText(/Sounds good\.\s*See you there!/)).toBeVisible({ timeout: 20_000 });
  await expect(messages(alice).getByText('Read').first()).toBeVisible({ timeout: 20_000 });
  await shot(alice, 'chat-conversation');
  await accessible(alice, 'chat');

  // Safety numbers: the same 60 digits on both screens; Alice marks Bob verified.
  await alice.getByRole('button', { name: 'Safety number' }).click();
  await bob.getByRole('button', { name: 'Safety number' }).click();
  const aliceDigits = ((await alice.getByTestId('safety-number').textContent()) ?? '').replace(/\s+/g, '');
  const bobDigits = ((await bob.getByTestId('safety-number').textContent()) ?? '').replace(/\s+/g, '');
  expect(aliceDigits).toMatch(/^\d{60}$/);
  expect(aliceDigits).toBe(bobDigits);
  await expect(alice.getByRole('img', { name: 'Safety number QR code' })).toBeVisible();
  await shot(alice, 'safety-number');
  await accessible(alice, 'safety number panel');
  await alice.getByRole('button', { name: 'Mark as verified' }).click();
  await expect(alice.getByRole('button', { name: 'Mark as not verified' })).toBeVisible();
  await shot(alice, 'safety-number-verified');

  // Settings.
  await alice.keyboard.press('Escape');
  await alice.getByRole('button', { name: 'Settings' }).click();
  await expect(alice.getByRole('dialog')).toBeVisible();
  await shot(alice, 'settings');
  await accessible(alice, 'settings');
  await alice.keyboard.press('Escape');

  // Bob's host restarts: the app is locked, and after unlocking his history is there.
  await bob.goto((await people.restart('bob')).url);
  await expect(bob.getByRole('heading', { name: 'Parley is locked' })).toBeVisible();
  await shot(bob, 'locked');
  await accessible(bob, 'lock screen');
  await bob.getByLabel('Passphrase').fill('not my passphrase');
  await bob.getByRole('button', { name: 'Unlock' }).click();
  await expect(bob.getByText('That passphrase is not right')).toBeVisible();
  await expect(bob.getByLabel('Passphrase')).toHaveAttribute('aria-invalid', 'true');
  await shot(bob, 'locked-wrong-passphrase');
  await bob.getByLabel('Passphrase').fill(PASSPHRASE);
  await bob.getByRole('button', { name: 'Unlock' }).click();
  await bob
    .getByRole('navigation', { name: 'Conversations' })
    .getByRole('button', { name: /Alice Archer/ })
    .click();
  await expect(messages(bob).getByText('Hi Bob! Lunch at noon?')).toBeVisible();
  await expect(messages(bob).getByText(/See you there!/)).toBeVisible();
  // And the session goes on after the restart.
  await alice.getByRole('textbox', { name: 'Message' }).fill('Welcome back, Bob');
  await alice.getByRole('textbox', { name: 'Message' }).press('Enter');
  await expect(messages(bob).getByText('Welcome back, Bob')).toBeVisible({ timeout: 20_000 });
  await shot(bob, 'chat-after-restart');
});

test('the databases on disk show no SQLite header and none of the texts', async () => {
  await people.stopHosts();
  const texts = ['Hi Bob! Lunch at noon?', 'See you there!', 'Welcome back, Bob'];
  const walk = (dir: string): string[] =>
    readdirSync(dir).flatMap((name) => {
      const path = join(dir, name);
      return statSync(path).isDirectory() ? walk(path) : [path];
    });
  const files = [people.dirs.alice.path, people.dirs.bob.path].flatMap(walk);
  const databases = files.filter((f) => /parley\.db(-wal)?$/.test(f));
  expect(databases.length).toBeGreaterThanOrEqual(2);
  for (const file of databases) {
    const bytes = readFileSync(file);
    expect(bytes.subarray(0, 15).toString('latin1')).not.toBe('SQLite format 3');
    for (const text of texts) expect(bytes.includes(Buffer.from(text))).toBe(false);
  }
});
