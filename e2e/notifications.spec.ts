/**
 * Desktop notifications end to end in Chromium through two browser hosts and a relay: a message
 * from Alice makes a notification on Bob's screen showing what his setting allows (sender only by
 * default, then name and message), and none once he muted the chat. The system's notification
 * centre is outside the page: a stand-in for the web Notification API records what the app
 * shows, with permission granted as Electron grants it.
 */
import AxeBuilder from '@axe-core/playwright';
import { expect, type Page, test } from '@playwright/test';
import { onboard, openPage, startChat } from './support/onboarding';
import { shot } from './support/screenshots';
import { startTwoPeople, type TwoPeople } from './support/two-people';

let people: TwoPeople;
test.beforeAll(async () => {
  people = await startTwoPeople('notify');
});
test.afterAll(async () => {
  await people?.stop();
});

interface Shown {
  readonly title: string;
  readonly body: string;
}

/** Runs in the page before the app: records every notification the app shows. */
function recordNotifications(): void {
  const shown: { title: string; body: string }[] = [];
  class RecordingNotification {
    static permission = 'granted';
    static requestPermission = async () => 'granted';
    onclick: (() => void) | null = null;
    constructor(title: string, options?: { body?: string }) {
      shown.push({ title, body: options?.body ?? '' });
    }
    close(): void {}
  }
  Object.assign(window, { Notification: RecordingNotification, shownNotifications: shown });
}

function shownOn(page: Page): Promise<Shown[]> {
  return page.evaluate(() => (window as unknown as { shownNotifications: Shown[] }).shownNotifications);
}

async function send(page: Page, text: string): Promise<void> {
  const composer = page.getByRole('textbox', { name: 'Message' });
  await composer.fill(text);
  await composer.press('Enter');
  await expect(page.getByRole('log', { name: 'Messages' }).getByText(text)).toBeVisible();
}

test('new messages notify Bob as his setting says, and a muted chat stays quiet', async ({ browser }) => {
  const alice = await openPage(browser, people.host('alice').url);
  await onboard(alice, 'alice', 'Alice Archer');
  // A browser that has not been asked yet: Parley offers to ask, and "Not now" puts it away.
  const prompt = alice.getByRole('region', { name: /Turn on notifications/ });
  await expect(prompt).toBeVisible();
  await shot(alice, 'notification-prompt');
  await prompt.getByRole('button', { name: 'Not now' }).click();
  await expect(prompt).not.toBeAttached();
  const bob = await openPage(browser, people.host('bob').url, { initScript: recordNotifications });
  await onboard(bob, 'bob', 'Bob Baker');

  await startChat(alice, 'bob', 'Bob Baker');

  // The first message opens a conversation Bob has never seen: sender only, by default.
  await send(alice, 'Lunch at noon?');
  await expect
    .poll(() => shownOn(bob), { timeout: 20_000 })
    .toEqual([{ title: 'Alice Archer', body: 'New message' }]);

  // Bob lets notifications show the text.
  await bob.getByRole('button', { name: 'Settings' }).click();
  const settings = bob.getByRole('dialog');
  await expect(settings.getByRole('heading', { name: 'Notifications' })).toBeVisible();
  await settings.getByLabel('New messages show').selectOption({ label: 'Name and message' });
  await expect(settings.getByLabel('New messages show')).toHaveValue('message');
  await shot(bob, 'settings-notifications');
  const results = await new AxeBuilder({ page: bob }).analyze();
  const serious = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(serious.map((v) => `${v.id}: ${v.help}`)).toEqual([]);
  await bob.keyboard.press('Escape');

  await send(alice, 'Bring the slides, please');
  await expect
    .poll(() => shownOn(bob), { timeout: 20_000 })
    .toContainEqual({ title: 'Alice Archer', body: 'Bring the slides, please' });

  // Bob mutes the chat from its menu; the list marks it.
  const list = bob.getByRole('navigation', { name: 'Conversations' });
  await list.getByRole('button', { name: /Alice Archer/ }).click();
  await bob.getByRole('button', { name: 'Chat actions' }).click();
  await shot(bob, 'chat-menu');
  await expect(bob.getByRole('menuitem', { name: 'Mute always' })).toBeVisible();
  await bob.getByRole('menuitem', { name: 'Mute for 8 hours' }).click();
  await expect(list.getByText('Muted')).toBeAttached();
  await expect(bob.locator('.chat-header').getByText(/^Muted until /)).toBeVisible();
  await shot(bob, 'chat-muted');
  await bob.getByRole('button', { name: 'Chat actions' }).click();
  await expect(bob.getByRole('menuitem', { name: 'Unmute notifications' })).toBeVisible();
  await bob.keyboard.press('Escape');

  // With the chat closed (a fresh page) a new message arrives and nothing is shown.
  await bob.reload();
  await expect(list).toBeVisible();
  await send(alice, 'Also the budget');
  await expect(list.getByText('Also the budget')).toBeVisible({ timeout: 20_000 });
  await shot(bob, 'list-muted');
  expect(await shownOn(bob)).toEqual([]);

  // Unmuted, the same fresh page announces the next one: the silence was the mute.
  await list.getByRole('button', { name: /Alice Archer/ }).click();
  await bob.getByRole('button', { name: 'Chat actions' }).click();
  await bob.getByRole('menuitem', { name: 'Unmute notifications' }).click();
  await expect(list.getByText('Muted')).not.toBeAttached();
  await bob.reload();
  await expect(list).toBeVisible();
  await send(alice, 'And coffee');
  await expect
    .poll(() => shownOn(bob), { timeout: 20_000 })
    .toEqual([{ title: 'Alice Archer', body: 'And coffee' }]);
});
