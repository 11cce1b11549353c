/**
 * The relay's HTTP routes (listed in shared/relay-protocol/routes.ts). Every /v1 route is
 * rate-limited per network address and validates its input; errors answer with a stable code.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ParleyError } from '../../shared/errors';
import {
  MAX_ENVELOPE_BYTES,
  MAX_JSON_BODY_BYTES,
  RELAY_PROTOCOL_VERSION,
} from '../../shared/relay-protocol/limits';
import { ROUTES } from '../../shared/relay-protocol/routes';
import { registerRequestSchema } from '../../shared/relay-protocol/schemas';
import { registerAccount } from '../accounts/registration';
import type { BlobRoutes } from '../blobs/blob-routes';
import { clientErrorInfo } from '../client-error-info';
import type { RateLimiter } from '../limits/rate-limiter';
import type { Logger } from '../logger';
import type { RelayGauges, RelayMetrics } from '../metrics/relay-metrics';
import type { RelayStore } from '../store/relay-store';
import { sendError, sendJson } from './http-reply';
import { readJsonBody } from './json-body';

export interface HttpRouteDeps {
  readonly relayId: string;
  readonly openRegistration: boolean;
  readonly maxBlobBytes: number;
  readonly store: RelayStore;
  readonly blobs: BlobRoutes;
  readonly addressLimiter: RateLimiter;
  readonly metrics: RelayMetrics;
  readonly logger: Logger;
  readonly now: () => number;
  readonly isReady: () => Promise<boolean>;
  readonly gauges: () => Promise<RelayGauges>;
}

const BLOB = /^\/v1\/blobs\/([^/]+)$/;
const BLOB_STATUS = /^\/v1\/blobs\/([^/]+)\/status$/;

export function createHttpHandler(deps: HttpRouteDeps) {
  const { logger, metrics } = deps;

  async function route(req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
    const method = req.method ?? 'GET';
    if (method === 'GET' && path === ROUTES.healthz) return sendJson(res, 200, { status: 'ok' });
    if (method === 'GET' && path === ROUTES.readyz) {
      return (await deps.isReady())
        ? sendJson(res, 200, { status: 'ready' })
        : sendJson(res, 503, { status: 'not ready' });
    }
    if (method === 'GET' && path === ROUTES.metrics) {
      const gauges = await deps.gauges();
      res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4', 'cache-control': 'no-store' });
      res.end(metrics.render(gauges));
      return;
    }
    if (!path.startsWith('/v1/')) throw new ParleyError('NOT_FOUND', 'No such route on this relay.');
    if (!deps.addressLimiter.take(req.socket.remoteAddress ?? 'unknown')) {
      throw new ParleyError('RATE_LIMITED', 'Too many requests from this address. Slow down and try again.');
    }
    if (method === 'GET' && path === ROUTES.info) {
      return sendJson(res, 200, {
        relayId: deps.relayId,
        protocol: RELAY_PROTOCOL_VERSION,
        openRegistration: deps.openRegistration,
        maxEnvelopeBytes: MAX_ENVELOPE_BYTES,
        maxBlobBytes: deps.maxBlobBytes,
      });
    }
    if (method === 'POST' && path === ROUTES.register) {
      const parsed = registerRequestSchema.safeParse(await readJsonBody(req, MAX_JSON_BODY_BYTES));
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        throw new ParleyError(
          'INVALID_ARGUMENT',
          `The registration is not valid: ${issue ? `${issue.path.join('.')}: ${issue.message}` : 'check its fields'}`,
        );
      }
      const address = await registerAccount(parsed.data, req.socket.remoteAddress, {
        store: deps.store,
        openRegistration: deps.openRegistration,
        now: deps.now,
      });
      logger.info(
        { event: 'relay.user_registered', userId: address.userId },
        'registered a user and its first device',
      );
      return sendJson(res, 201, address);
    }
    if (method === 'POST' && path === ROUTES.blobs) return deps.blobs.create(req, res);
    const status = BLOB_STATUS.exec(path);
    if (status && method === 'GET') return deps.blobs.status(req, res, status[1]!);
    const blob = BLOB.exec(path);
    if (blob && method === 'PATCH') return deps.blobs.append(req, res, blob[1]!);
    if (blob && (method === 'GET' || method === 'HEAD')) return deps.blobs.download(req, res, blob[1]!);
    if (blob && method === 'DELETE') return deps.blobs.remove(req, res, blob[1]!);
    throw new ParleyError('NOT_FOUND', 'No such route on this relay.');
  }

  return (req: IncomingMessage, res: ServerResponse): void => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    if (path.startsWith('/socket.io/')) return; // socket.io answers these
    // Logs name the route, never a blob id.
    const shape = path.replace(/^\/v1\/blobs\/[^/]+/, '/v1/blobs/:id').slice(0, 40);
    route(req, res, path).catch((error: unknown) => {
      const info = clientErrorInfo(error);
      metrics.error(info.code);
      if (error instanceof ParleyError) {
        logger.warn(
          { event: 'relay.http_refused', code: info.code, method: req.method, path: shape },
          info.message,
        );
      } else {
        logger.error(
          { event: 'relay.http_failed', method: req.method, path: shape, err: error },
          'a request failed',
        );
      }
      if (res.headersSent) {
        res.destroy();
        return;
      }
      sendError(res, info);
      // Do not leave an unread body on a connection that may be reused.
      req.resume();
    });
  };
}
