/**
 * The relay: an HTTP server with a few routes and a socket.io endpoint, over one store (SQLite
 * by default, PostgreSQL when configured) and, for several nodes, the Redis adapter. It carries
 * sealed envelopes it cannot read, keeps them until the recipient device acknowledges them, and
 * never acks a sender before the envelopes are committed.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createAdapter } from '@socket.io/redis-adapter';
import { createClient } from 'redis';
import { Server as SocketServer } from 'socket.io';
import type { DeviceAddress } from '../shared/address';
import { type ErrorInfo, isErrorCode, type ParleyError } from '../shared/errors';
import { RELAY_EVENTS } from '../shared/relay-protocol/events';
import { MAX_JSON_BODY_BYTES, MAX_SOCKET_MESSAGE_BYTES } from '../shared/relay-protocol/limits';
import { type AdminActions, adminActions } from './admin/admin-actions';
import { loadSodium } from './auth/sodium';
import { BlobFolder } from './blobs/blob-folder';
import { BlobRoutes } from './blobs/blob-routes';
import { checkRelayConfig, type RelayConfig } from './config';
import { createHttpHandler } from './http/http-routes';
import { RateLimiter } from './limits/rate-limiter';
import type { Logger } from './logger';
import { DeliveryHub } from './mailbox/delivery-hub';
import { GroupCommitter } from './mailbox/group-committer';
import { RevocationWatcher } from './maintenance/revocation-watcher';
import { Sweeper } from './maintenance/sweeper';
import { RelayMetrics } from './metrics/relay-metrics';
import { handleConnection } from './socket/device-connection';
import { deviceRoom, userRoom } from './socket/rooms';
import { openRelayStore } from './store/open-store';
import type { RelayStore } from './store/relay-store';

export interface RelayHandle {
  /** http://host:port of the running relay. */
  readonly url: string;
  readonly port: number;
  readonly io: SocketServer;
  readonly store: RelayStore;
  /** Invitations, deactivation and revocation, disconnecting affected devices at once. */
  readonly admin: AdminActions;
  /** Deletes expired envelopes, blobs and credentials now (it also runs on a timer). */
  sweep(): Promise<void>;
  /** Stops accepting, finishes what is in flight (up to the grace period) and closes storage. */
  close(): Promise<void>;
}

export interface RelayDeps {
  readonly logger: Logger;
  /** The clock (milliseconds since the epoch); tests may pass their own. */
  readonly now?: () => number;
  /**
   * Runs the SQLite store in a worker thread running this script, which must call
   * `startIfSqliteWorker()` first (relay/main.ts does). Without it SQLite runs on this thread.
   */
  readonly sqliteWorkerScript?: string;
}

/** Server-side events between relay nodes: these mailboxes received envelopes; cut off this room. */
const MAILBOX_NEWS = 'parley:mailbox-news';
const REVOKED_NEWS = 'parley:revoked';
/** Session tokens for the HTTP routes live this long. */
const SESSION_TTL_MS = 60 * 60_000;
/** Envelopes one group commit may hold. */
const MAX_GROUP_ENVELOPES = 5_000;
/** Envelope bytes waiting for the group commit above which senders are asked to retry. */
const MAX_QUEUED_BYTES = 64 * 1024 * 1024;
/** What one device may have delivered and not yet acknowledged. */
const DELIVERY_WINDOW = { count: 512, bytes: 4 * 1024 * 1024 };

export async function startRelay(config: RelayConfig, deps: RelayDeps): Promise<RelayHandle> {
  checkRelayConfig(config);
  const { logger } = deps;
  const now = deps.now ?? Date.now;
  const sodium = await loadSodium();
  const store = await openRelayStore(config, { sqliteWorkerScript: deps.sqliteWorkerScript });
  const cleanup: (() => Promise<unknown>)[] = [() => store.close()];
  try {
    return await start(config, logger, now, sodium, store, cleanup, deps.sqliteWorkerScript);
  } catch (error) {
    for (const step of cleanup.reverse()) await step().catch(() => {});
    throw error;
  }
}

async function start(
  config: RelayConfig,
  logger: Logger,
  now: () => number,
  sodium: Awaited<ReturnType<typeof loadSodium>>,
  store: RelayStore,
  cleanup: (() => Promise<unknown>)[],
  sqliteWorkerScript: string | undefined,
): Promise<RelayHandle> {
  let closing = false;
  const folder = await BlobFolder.open(config.blobDir);
  const metrics = new RelayMetrics();
  const deviceLimiter = new RateLimiter({
    ratePerSec: config.deviceRatePerSec,
    burst: config.deviceRatePerSec * 4,
    now,
  });
  const addressLimiter = new RateLimiter({
    ratePerSec: config.addressRatePerSec,
    burst: config.addressRatePerSec * 20,
    now,
  });

  const http = createServer();
  const io = new SocketServer(http, {
    serveClient: false,
    maxHttpBufferSize: MAX_SOCKET_MESSAGE_BYTES,
    cors: { origin: false },
  });

  /** Whether the Redis connections are up (always true on a single node). */
  let redisReady = () => true;
  if (config.redisUrl) {
    const pub = createClient({ url: config.redisUrl });
    const sub = pub.duplicate();
    const onError = (error: unknown) =>
      logger.error({ event: 'relay.redis_error', err: error }, 'Redis connection error; retrying');
    pub.on('error', onError);
    sub.on('error', onError);
    cleanup.push(() => Promise.allSettled([pub.quit(), sub.quit()]));
    await Promise.all([pub.connect(), sub.connect()]);
    io.adapter(createAdapter(pub, sub));
    redisReady = () => pub.isReady && sub.isReady;
  }
  // Cleanup runs in reverse: socket.io first, then Redis, then the store.
  cleanup.push(() => new Promise<void>((resolve) => io.close(() => resolve())));

  const hub = new DeliveryHub(
    config.redisUrl ? (addresses) => io.serverSideEmit(MAILBOX_NEWS, addresses) : null,
  );
  if (config.redisUrl)
    io.on(MAILBOX_NEWS, (addresses: unknown) => hub.news(Array.isArray(addresses) ? addresses : []));

  const committer = new GroupCommitter({
    store,
    windowMs: config.groupCommitMs,
    maxGroupEnvelopes: MAX_GROUP_ENVELOPES,
    limits: () => {
      const t = now();
      return {
        quota: config.mailboxQuota,
        maxBytes: config.mailboxMaxBytes,
        now: t,
        expiresAt: t + config.mailboxTtlMs,
      };
    },
    onStored: (stored) => hub.stored(stored),
    logger,
    metrics,
  });

  /**
   * Tells the sockets in a room why, then disconnects them: here at once, and on the other nodes
   * too when `everywhere` (they also learn it from the audit log, should Redis be down).
   */
  function cutOff(room: string, error: ErrorInfo, everywhere: boolean): void {
    io.local.in(room).emit(RELAY_EVENTS.revoked, { error });
    io.local.in(room).disconnectSockets(true);
    if (everywhere && config.redisUrl) io.serverSideEmit(REVOKED_NEWS, room, error);
  }
  if (config.redisUrl) {
    io.on(REVOKED_NEWS, (room: unknown, error: unknown) => {
      const info = error as { code?: unknown; message?: unknown } | null;
      const code = info?.code;
      if (typeof room === 'string' && /^[du]:/.test(room) && isErrorCode(code)) {
        cutOff(room, { code, message: String(info?.message ?? '') }, false);
      }
    });
  }
  const revokedError: ErrorInfo = {
    code: 'RELAY_DEVICE_REVOKED',
    message: 'This device was removed from its account by an administrator.',
  };
  const deactivatedError: ErrorInfo = {
    code: 'RELAY_USER_DEACTIVATED',
    message: 'This account was deactivated by its administrator.',
  };
  const onDeviceRevoked = (address: DeviceAddress, everywhere: boolean) => {
    logger.info(
      { event: 'relay.device_revoked', device: `${address.userId}.${address.deviceId}` },
      'device revoked',
    );
    cutOff(deviceRoom(address), revokedError, everywhere);
  };
  const onUserDeactivated = (userId: string, everywhere: boolean) => {
    logger.info({ event: 'relay.user_deactivated', userId }, 'user deactivated');
    cutOff(userRoom(userId), deactivatedError, everywhere);
  };

  io.use((socket, next) => {
    if (closing)
      return next(socketError('UNAVAILABLE', 'The relay is shutting down. Try again in a moment.'));
    if (!addressLimiter.take(socket.handshake.address)) {
      metrics.error('RATE_LIMITED');
      logger.warn(
        { event: 'relay.refused', code: 'RATE_LIMITED', on: 'connect', ip: socket.handshake.address },
        'too many connections',
      );
      return next(socketError('RATE_LIMITED', 'Too many connections from this address. Try again shortly.'));
    }
    next();
  });
  io.on('connection', (socket) =>
    handleConnection(socket, {
      relayId: config.relayId,
      store,
      sodium,
      hub,
      committer,
      metrics,
      logger,
      now,
      deviceLimiter,
      addressLimiter,
      deliveryWindow: DELIVERY_WINDOW,
      sessionTtlMs: SESSION_TTL_MS,
      maxQueuedBytes: MAX_QUEUED_BYTES,
      isClosing: () => closing,
      // Across nodes the adapter applies this asynchronously, here too: excepting the new
      // socket (its own room is its id) keeps it from being cut off by its own replacement.
      disconnectDevice: (address, keep) => io.in(deviceRoom(address)).except(keep).disconnectSockets(true),
      notifyDevice: (address, event, payload) => io.to(deviceRoom(address)).emit(event, payload),
    }),
  );

  const blobs = new BlobRoutes({
    store,
    folder,
    maxBytes: config.blobMaxBytes,
    ttlMs: config.blobTtlMs,
    maxJsonBytes: MAX_JSON_BODY_BYTES,
    now,
    logger,
  });
  let listening = false;
  http.on(
    'request',
    createHttpHandler({
      relayId: config.relayId,
      openRegistration: config.openRegistration,
      maxBlobBytes: config.blobMaxBytes,
      store,
      blobs,
      addressLimiter,
      metrics,
      logger,
      now,
      isReady: async () =>
        listening &&
        !closing &&
        redisReady() &&
        (await store.ping().then(
          () => true,
          () => false,
        )),
      gauges: async () => ({
        mailboxDepth: await store.totalDepth().catch(() => -1),
        heapUsedBytes: process.memoryUsage().heapUsed,
        sockets: io.engine.clientsCount,
        deliverySessions: hub.size,
        rateLimitKeys: deviceLimiter.size + addressLimiter.size,
        commitQueueBytes: committer.queuedBytes,
      }),
    }),
  );

  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(config.port, config.host, () => {
      http.off('error', reject);
      resolve();
    });
  });
  listening = true;
  const port = (http.address() as AddressInfo).port;
  const hostForUrl =
    config.host.includes(':') && !config.host.startsWith('[') ? `[${config.host}]` : config.host;
  const url = `http://${hostForUrl}:${port}`;

  const sweeper = new Sweeper({ store, folder, limiters: [deviceLimiter, addressLimiter], now, logger });
  sweeper.start(config.sweepIntervalMs);
  const watcher = new RevocationWatcher({
    store,
    logger,
    onDeviceRevoked: (address) => onDeviceRevoked(address, false),
    onUserDeactivated: (userId) => onUserDeactivated(userId, false),
  });
  await watcher.start(config.revocationPollMs);

  logger.info(
    {
      event: 'relay.started',
      host: config.host,
      port,
      store: store.kind === 'sqlite' && sqliteWorkerScript ? 'sqlite (worker thread)' : store.kind,
      cluster: config.redisUrl !== null,
    },
    'relay listening',
  );

  let closed: Promise<void> | null = null;
  return {
    url,
    port,
    io,
    store,
    admin: adminActions({
      store,
      now,
      actor: 'relay-admin',
      onDeviceRevoked: (address) => onDeviceRevoked(address, true),
      onUserDeactivated: (userId) => onUserDeactivated(userId, true),
    }),
    sweep: () => sweeper.sweep(),
    close() {
      closed ??= (async () => {
        closing = true;
        logger.info({ event: 'relay.stopping' }, 'relay shutting down');
        await Promise.all([watcher.stop(), sweeper.stop()]);
        // Batches received before now are committed and their senders acked before sockets close.
        let timer: NodeJS.Timeout | undefined;
        const graceOver = new Promise<'timeout'>((resolve) => {
          timer = setTimeout(() => resolve('timeout'), config.shutdownGraceMs);
        });
        const drained = await Promise.race([committer.drain().then(() => 'drained' as const), graceOver]);
        clearTimeout(timer);
        if (drained === 'timeout') {
          logger.warn({ event: 'relay.shutdown_grace_over' }, 'stopped before every batch was committed');
        }
        io.local.disconnectSockets(true);
        for (const step of cleanup.reverse()) await step().catch(() => {});
        http.closeAllConnections();
        // Uploads cut off just now still write what they received: a resumed upload goes on from it.
        await folder.settle();
        logger.info({ event: 'relay.stopped' }, 'relay stopped');
      })();
      return closed;
    },
  };
}

function socketError(code: ParleyError['code'], message: string): Error & { data: ErrorInfo } {
  const error = new Error(message) as Error & { data: ErrorInfo };
  error.data = { code, message };
  return error;
}
