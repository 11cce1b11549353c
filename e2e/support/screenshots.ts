/** Screenshots of a screen in the light and the dark theme, into artifacts/e2e (reviewed by eye). */
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { ARTIFACTS } from './processes';

export async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`) });
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.screenshot({ path: join(ARTIFACTS, `${name}-dark.png`) });
  await page.emulateMedia({ colorScheme: 'light' });
}
