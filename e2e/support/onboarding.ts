/** What the e2e specs share to get a person into the app: a page of their own, then set-up. */
import { type Browser, expect, type Page } from '@playwright/test';

export const PASSPHRASE = 'a long enough passphrase';

/** A page in a browser context of its own, failing the test on any error the page throws. */
export async function openPage(
  browser: Browser,
  url: string,
  options: { acceptDownloads?: boolean; initScript?: () => void } = {},
): Promise<Page> {
  const context = await browser.newContext({ acceptDownloads: options.acceptDownloads ?? false });
  if (options.initScript) await context.addInitScript(options.initScript);
  const page = await context.newPage();
  page.on('pageerror', (error) => {
    throw error;
  });
  await page.goto(url);
  return page;
}

/** Creates the account on the first screen and waits until it is connected. */
export async function onboard(page: Page, username: string, displayName: string): Promise<void> {
  await expect(page.getByRole('heading', { name: 'Welcome to Parley' })).toBeVisible();
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Display name').fill(displayName);
  await page.getByLabel('Passphrase', { exact: true }).fill(PASSPHRASE);
  await page.getByLabel('Confirm passphrase').fill(PASSPHRASE);
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page.getByRole('navigation', { name: 'Conversations' })).toBeVisible({ timeout: 30_000 });
  await expect(page.getByText('Connected')).toBeVisible();
}

/** Finds a person by `username` through "New chat" and opens the chat with them. */
export async function startChat(page: Page, username: string, displayName: string): Promise<void> {
  await page.getByRole('button', { name: 'New chat' }).click();
  const dialog = page.getByRole('dialog', { name: 'New chat' });
  await dialog.getByLabel('Search people').fill(username);
  await dialog.getByRole('button', { name: new RegExp(displayName) }).click();
  await expect(page.getByRole('textbox', { name: 'Message' })).toBeVisible();
}
