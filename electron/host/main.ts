/**
 * `npm run host` (and `npm start` where no Electron binary is installed): the same messenger
 * core as the desktop app, with its UI served on 127.0.0.1 for the system browser.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { widenGcHeadroom } from '@parley/gc-headroom';
import { ParleyError } from '../../shared/errors';
import { createAppLogger } from '../app-logger';
import { createCore } from '../core/create-core';
import { downloadLinks } from '../core/files/download-links';
import { relayClientConnector } from '../core/messenger/relay-client-connector';
import { startEmbeddedRelay } from '../embedded-relay';
import { parseLaunchOptions } from '../launch-options';
import { startHost } from './host-server';
import { openInSystemBrowser } from './open-browser';

async function main(): Promise<void> {
  // Attachments stream through the core in this process (packages/gc-headroom).
  widenGcHeadroom();
  const options = parseLaunchOptions(process.argv.slice(2), process.env);
  mkdirSync(options.dataDir, { recursive: true, mode: 0o700 });
  const logger = createAppLogger(options.dataDir, 'parley-host');
  const relay = options.relayUrl
    ? null
    : await startEmbeddedRelay(options.dataDir, options.embeddedRelayPort, logger);
  const relayUrl = options.relayUrl ?? relay!.url;
  const { version } = JSON.parse(readFileSync(join(__dirname, '..', 'package.json'), 'utf8')) as {
    version: string;
  };

  // "Save as" in a browser: a one-time link on this host that streams the decrypted file.
  const links = downloadLinks();
  const core = await createCore({
    dataDir: options.dataDir,
    defaultRelayUrl: relayUrl,
    appVersion: version,
    logger,
    relays: relayClientConnector(logger),
    files: { saver: links.saver },
  });
  const host = await startHost({
    core,
    rendererDir: join(__dirname, 'renderer'),
    bridgeScript: readFileSync(join(__dirname, 'parley-bridge.js'), 'utf8'),
    port: options.hostPort,
    logger,
    extraRoutes: (req, res) => links.handle(req, res),
  });

  process.stdout.write(`Parley is running. Open this address in your browser:\n\n  ${host.url}\n\n`);
  process.stdout.write(relay ? `Built-in relay: ${relay.url}\n` : `Relay: ${relayUrl}\n`);
  process.stdout.write('Press Ctrl+C to stop.\n');
  if (options.openBrowser) openInSystemBrowser(host.url);

  const stop = async () => {
    await host.close();
    await core.close();
    await relay?.close();
    logger.flush();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  if (error instanceof ParleyError) {
    process.stderr.write(`parley: ${error.message} [${error.code}]\n`);
    process.exit(2);
  }
  process.stderr.write(
    `parley: could not start: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
});
