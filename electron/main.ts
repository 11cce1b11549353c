/**
 * The Electron main process, kept thin: single-instance lock, security settings, the window,
 * and IPC wiring to the messenger core (which lives in electron/core and never imports electron).
 */
import { join } from 'node:path';
import { widenGcHeadroom } from '@parley/gc-headroom';
import { app, type BrowserWindow, dialog, safeStorage, session } from 'electron';
import { createAppLogger } from './app-logger';
import { createDispatcher } from './core/api/dispatcher';
import { createCore } from './core/create-core';
import { dialogFileSaver } from './core/files/dialog-file-saver';
import { relayClientConnector } from './core/messenger/relay-client-connector';
import { startEmbeddedRelay } from './embedded-relay';
import { parseLaunchOptions } from './launch-options';
import { registerAppScheme, serveRenderer } from './shell/app-protocol';
import { hardenAllWebContents, hardenSession } from './shell/hardening';
import { bridgeIpc } from './shell/ipc-bridge';
import { createMainWindow } from './shell/main-window';

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  // Attachments stream through the core in this process (packages/gc-headroom).
  widenGcHeadroom();
  app.enableSandbox();
  // Windows shows an app's notifications only under its AppUserModelID (electron-builder's appId).
  if (process.platform === 'win32') app.setAppUserModelId('app.parley.desktop');
  registerAppScheme();
  hardenAllWebContents();
  let window: BrowserWindow | null = null;

  app.on('second-instance', () => {
    if (!window) return;
    if (window.isMinimized()) window.restore();
    window.focus();
  });

  app.whenReady().then(async () => {
    const args = process.argv
      .slice(app.isPackaged ? 1 : 2)
      .filter((a) => !a.startsWith('--') || a.includes('='));
    const options = parseLaunchOptions(args, {
      ...process.env,
      PARLEY_DATA_DIR: process.env.PARLEY_DATA_DIR ?? app.getPath('userData'),
    });
    const logger = createAppLogger(options.dataDir, 'parley');
    const relay = options.relayUrl
      ? null
      : await startEmbeddedRelay(options.dataDir, options.embeddedRelayPort, logger);
    const core = await createCore({
      dataDir: options.dataDir,
      defaultRelayUrl: options.relayUrl ?? relay!.url,
      appVersion: app.getVersion(),
      logger,
      relays: relayClientConnector(logger),
      // The OS keychain wraps the database key; on Linux without a keyring (basic_text) the
      // store refuses it and the passphrase alone protects the key.
      keychain: safeStorage,
      files: {
        saver: dialogFileSaver(async (suggestedName) => {
          const options = { defaultPath: suggestedName };
          const result = window
            ? await dialog.showSaveDialog(window, options)
            : await dialog.showSaveDialog(options);
          return result.canceled ? null : (result.filePath ?? null);
        }),
      },
    });
    hardenSession(session.defaultSession);
    serveRenderer(join(__dirname, '..', 'renderer'));
    window = createMainWindow(join(__dirname, 'preload.cjs'));
    const unbridge = bridgeIpc(createDispatcher(core.handlers, logger), core.events, window);

    app.on('window-all-closed', () => app.quit());
    app.on('will-quit', () => {
      unbridge();
      void core.close();
      void relay?.close();
    });
  });
}
