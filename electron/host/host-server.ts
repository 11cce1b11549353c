/**
 * The browser host: serves the built renderer on 127.0.0.1 and bridges the IPC contract over a
 * WebSocket. It binds to loopback only and accepts a bridge connection only with this launch's
 * random token and from its own Origin (THREAT-MODEL: a local web page or program).
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { type WebSocket, WebSocketServer } from 'ws';
import {
  decodeBinaryInvoke,
  HOST_BRIDGE_PATH,
  HOST_MAX_FRAME_BYTES,
  HOST_TOKEN_PARAM,
  type HostToPageFrame,
} from '../../shared/host-protocol';
import { createDispatcher } from '../core/api/dispatcher';
import type { CoreLogger, ParleyCore } from '../core/core';
import { contentSecurityPolicy, securityHeaders } from './content-security-policy';
import { readStaticFile } from './static-files';

export const BRIDGE_SCRIPT_PATH = '/parley-bridge.js';

export interface HostOptions {
  readonly core: ParleyCore;
  /** Folder with the built renderer (index.html and assets). */
  readonly rendererDir: string;
  /** The built bridge script the host injects before the renderer's own scripts. */
  readonly bridgeScript: string;
  /** 0 (the default) lets the OS pick a free port. */
  readonly port?: number;
  readonly logger: CoreLogger;
  /** For tests only: a fixed token. */
  readonly token?: string;
  /**
   * Routes of the host's own besides the app (the one-time file download links). Returns false
   * for a request it does not serve. Called only for GET requests with the host's own Host header.
   */
  readonly extraRoutes?: (req: IncomingMessage, res: ServerResponse) => boolean;
}

export interface HostHandle {
  /** Open this in a browser: loopback URL with the token in the fragment. */
  readonly url: string;
  readonly origin: string;
  readonly port: number;
  close(): Promise<void>;
}

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

function refuseUpgrade(socket: Duplex, status: 400 | 401 | 403 | 404, reason: string): void {
  socket.end(`HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}

export async function startHost(options: HostOptions): Promise<HostHandle> {
  const { core, logger } = options;
  const token = options.token ?? randomBytes(32).toString('base64url');
  const dispatch = createDispatcher(core.handlers, logger);
  let origin = '';
  let allowedHosts: readonly string[] = [];
  let csp = '';

  const serve = async (req: IncomingMessage, res: ServerResponse) => {
    if (!allowedHosts.includes(req.headers.host ?? '')) {
      // A foreign Host header means DNS rebinding or a proxy: never serve the app to it.
      logger.warn(
        { event: 'host.bad_host', code: 'HOST_BAD_ORIGIN' },
        'refused a request with a foreign Host header',
      );
      res.writeHead(421).end();
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD' }).end();
      return;
    }
    if (options.extraRoutes?.(req, res)) return;
    const path = new URL(req.url ?? '/', origin).pathname;
    const headers = securityHeaders(csp);
    if (path === BRIDGE_SCRIPT_PATH) {
      res.writeHead(200, {
        ...headers,
        'content-type': 'text/javascript; charset=utf-8',
        'cache-control': 'no-store',
      });
      res.end(options.bridgeScript);
      return;
    }
    const file = await readStaticFile(options.rendererDir, path);
    if (!file) {
      res.writeHead(404, { ...headers, 'content-type': 'text/plain; charset=utf-8' }).end('Not found');
      return;
    }
    let body = file.body;
    if (file.contentType.startsWith('text/html')) {
      // The bridge defines window.parley before the renderer runs, as Electron's preload does.
      const html = body
        .toString('utf8')
        .replace('<head>', `<head><script src="${BRIDGE_SCRIPT_PATH}"></script>`);
      body = Buffer.from(html);
    }
    res.writeHead(200, { ...headers, 'content-type': file.contentType, 'cache-control': 'no-store' });
    res.end(req.method === 'HEAD' ? undefined : body);
  };

  const http = createServer((req, res) => {
    serve(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  });

  const wss = new WebSocketServer({ noServer: true, maxPayload: HOST_MAX_FRAME_BYTES });
  http.on('upgrade', (req, socket) => {
    const url = new URL(req.url ?? '/', origin);
    const remote = req.socket.remoteAddress;
    if (url.pathname !== HOST_BRIDGE_PATH) return refuseUpgrade(socket, 404, 'Not Found');
    if (!sameSecret(url.searchParams.get(HOST_TOKEN_PARAM) ?? '', token)) {
      logger.warn(
        { event: 'host.refused', code: 'HOST_BAD_TOKEN', remote },
        'refused a bridge connection without the launch token',
      );
      return refuseUpgrade(socket, 401, 'Unauthorized');
    }
    const pageOrigin = req.headers.origin ?? '';
    if (
      !allowedHosts.some((h) => pageOrigin === `http://${h}`) ||
      !allowedHosts.includes(req.headers.host ?? '')
    ) {
      logger.warn(
        { event: 'host.refused', code: 'HOST_BAD_ORIGIN', remote, origin: pageOrigin.slice(0, 200) },
        'refused a bridge connection from a foreign origin',
      );
      return refuseUpgrade(socket, 403, 'Forbidden');
    }
    wss.handleUpgrade(req, socket, Buffer.alloc(0), (ws) => attach(ws));
  });

  const attach = (ws: WebSocket) => {
    const send = (frame: HostToPageFrame) => {
      if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(frame));
    };
    const unsubscribe = core.events.subscribe((event, payload) => send({ type: 'event', event, payload }));
    ws.on('close', unsubscribe);
    // A page that reconnects (the host restarted, say) learns the current phase at once, as a
    // freshly loaded page would by asking.
    void Promise.resolve(core.handlers['app.state'](undefined)).then(
      (payload) => send({ type: 'event', event: 'app.state', payload }),
      () => {},
    );
    ws.on('error', () => ws.terminate());
    ws.on('message', (data, isBinary) => {
      let frame: unknown;
      try {
        frame = isBinary ? decodeBinaryInvoke(asBytes(data)) : JSON.parse(data.toString());
      } catch {
        frame = null;
      }
      const f = frame as { type?: unknown; id?: unknown; method?: unknown; args?: unknown } | null;
      if (f?.type !== 'invoke' || typeof f?.id !== 'number' || !Number.isSafeInteger(f?.id)) {
        logger.warn({ event: 'host.bad_frame' }, 'page sent a frame that is not an invoke');
        return;
      }
      const id = f.id;
      dispatch(f.method, f.args).then((result) => send({ type: 'result', id, result }));
    });
  };

  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(options.port ?? 0, '127.0.0.1', () => {
      http.off('error', reject);
      resolve();
    });
  });
  const port = (http.address() as AddressInfo).port;
  origin = `http://127.0.0.1:${port}`;
  allowedHosts = [`127.0.0.1:${port}`, `localhost:${port}`];
  csp = contentSecurityPolicy([`ws://127.0.0.1:${port}`, `ws://localhost:${port}`]);
  logger.info({ event: 'host.started', port }, 'browser host listening on loopback');

  return {
    url: `${origin}/#${HOST_TOKEN_PARAM}=${token}`,
    origin,
    port,
    async close() {
      for (const client of wss.clients) client.terminate();
      wss.close();
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
}

/** A binary WebSocket message as one Uint8Array (ws gives a Buffer, or pieces, or an ArrayBuffer). */
function asBytes(data: Buffer | ArrayBuffer | Buffer[]): Uint8Array {
  if (Array.isArray(data)) return Buffer.concat(data);
  return data instanceof ArrayBuffer ? new Uint8Array(data) : data;
}
