/**
 * The relay's process shell: an HTTP server with health routes and a socket.io endpoint.
 * Delivery, the prekey directory, mailboxes and blobs plug in here.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server as SocketServer } from 'socket.io';
import type { RelayConfig } from './config';
import type { Logger } from './logger';

export interface RelayHandle {
  /** http://host:port of the running relay. */
  readonly url: string;
  readonly port: number;
  readonly io: SocketServer;
  /** Stops accepting, finishes what is in flight (up to the grace period) and closes storage. */
  close(): Promise<void>;
}

export interface RelayDeps {
  readonly logger: Logger;
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
}

export async function startRelay(config: RelayConfig, deps: RelayDeps): Promise<RelayHandle> {
  const { logger } = deps;
  let ready = false;
  let closing = false;

  const http = createServer((req: IncomingMessage, res: ServerResponse) => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method === 'GET' && path === '/healthz') return sendJson(res, 200, { status: 'ok' });
    if (req.method === 'GET' && path === '/readyz') {
      return ready && !closing
        ? sendJson(res, 200, { status: 'ready' })
        : sendJson(res, 503, { status: 'not ready' });
    }
    if (path?.startsWith('/socket.io/')) return; // socket.io answers these
    sendJson(res, 404, { error: { code: 'NOT_FOUND', message: 'No such route on this relay.' } });
  });

  const io = new SocketServer(http, {
    serveClient: false,
    maxHttpBufferSize: 1_000_000,
    cors: { origin: false },
  });

  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(config.port, config.host, () => {
      http.off('error', reject);
      resolve();
    });
  });
  const port = (http.address() as AddressInfo).port;
  const hostForUrl =
    config.host.includes(':') && !config.host.startsWith('[') ? `[${config.host}]` : config.host;
  const url = `http://${hostForUrl}:${port}`;
  ready = true;
  logger.info({ event: 'relay.started', host: config.host, port }, 'relay listening');

  let closed: Promise<void> | null = null;
  return {
    url,
    port,
    io,
    close() {
      closed ??= (async () => {
        closing = true;
        logger.info({ event: 'relay.stopping' }, 'relay shutting down');
        io.disconnectSockets(true);
        await new Promise<void>((resolve) => io.close(() => resolve()));
        http.closeAllConnections();
        logger.info({ event: 'relay.stopped' }, 'relay stopped');
      })();
      return closed;
    },
  };
}
