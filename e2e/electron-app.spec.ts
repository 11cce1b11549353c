/**
 * The real desktop app through Playwright's Electron driver. Electron's binary cannot be
 * downloaded on every machine (ENVIRONMENT.md); where it is absent this test reports itself
 * skipped with the reason and the browser-host tests cover the same UI and core.
 */
import { join } from 'node:path';
import { _electron as electron, expect, test } from '@playwright/test';
import {
  ARTIFACTS,
  electronBinary,
  type RelayProcess,
  ROOT,
  startRelayProcess,
  tempDir,
} from './support/processes';

const binary = electronBinary();

test('the desktop app opens a hardened window on the first screen', async () => {
  test.skip(
    !binary,
    'Electron binary is not installed on this machine (its download needs the internet); the browser-host tests cover the UI.',
  );
  const relay: RelayProcess = await startRelayProcess();
  const data = tempDir('electron');
  const app = await electron.launch({
    executablePath: binary!,
    args: [join(ROOT, 'dist', 'electron', 'main.cjs'), `--data-dir=${data.path}`, `--relay-url=${relay.url}`],
    cwd: ROOT,
  });
  try {
    const window = await app.firstWindow();
    await expect(window.getByRole('heading', { name: 'Welcome to Parley' })).toBeVisible();
    const prefs = await app.evaluate(({ BrowserWindow }) => {
      const w = BrowserWindow.getAllWindows()[0]!;
      const p = w.webContents.getLastWebPreferences() ?? {};
      return { contextIsolation: p.contextIsolation, sandbox: p.sandbox, nodeIntegration: p.nodeIntegration };
    });
    expect(prefs).toEqual({ contextIsolation: true, sandbox: true, nodeIntegration: false });
    expect(await window.evaluate(() => typeof (globalThis as { require?: unknown }).require)).toBe(
      'undefined',
    );
    await window.screenshot({ path: join(ARTIFACTS, 'electron-first-screen.png') });
  } finally {
    await app.close();
    await relay.stop();
    data.remove();
    relay.dir.remove();
  }
});
