/**
 * One device's socket: the authentication handshake, then every event the device may send.
 * Each event is rate-limited and validated against its schema in shared/relay-protocol before
 * anything runs; a refusal answers with a stable error code (through the event's callback, or a
 * `relay:error` event when it has none) and writes one log line. A socket that keeps sending
 * refused traffic is disconnected, so a flood costs the relay little and never grows its memory.
 */
import type { Socket } from 'socket.io';
import type { z } from 'zod';
import { type DeviceAddress, formatAddress } from '../../shared/address';
import { type ErrorCode, type ErrorInfo, ParleyError } from '../../shared/errors';
import { toBase64url } from '../../shared/relay-protocol/base64url';
import { decodeSendFrame, type SendBatch } from '../../shared/relay-protocol/envelope-frame';
import {
  AUTH_DEADLINE_MS,
  DEVICE_EVENTS,
  RELAY_EVENTS,
  type RefusedBatch,
  type WireSessionGrant,
} from '../../shared/relay-protocol/events';
import {
  BINARY_FRAME_MIN_BYTES,
  framePayloadProblem,
  readAckIds,
} from '../../shared/relay-protocol/frame-payload';
import {
  LOW_PREKEY_THRESHOLD,
  MAX_DIRECTORY_RESULTS,
  RELAY_PROTOCOL_VERSION,
} from '../../shared/relay-protocol/limits';
import { prekeyBundleToWire } from '../../shared/relay-protocol/prekey-wire';
import {
  authProveSchema,
  devicesAddSchema,
  directoryDevicesSchema,
  directoryLookupSchema,
  directorySearchSchema,
  envelopesAckSchema,
  noArgsSchema,
  prekeysFetchSchema,
  prekeyUploadSchema,
} from '../../shared/relay-protocol/schemas';
import { checkDeviceProof, newAuthNonce } from '../auth/device-auth';
import { hashSecret, newSecretToken } from '../auth/secret-tokens';
import type { Sodium } from '../auth/sodium';
import { clientErrorInfo } from '../client-error-info';
import type { RateLimiter } from '../limits/rate-limiter';
import type { Logger } from '../logger';
import type { DeliveryHub } from '../mailbox/delivery-hub';
import { DeliverySession, type DeliveryWindow } from '../mailbox/delivery-session';
import type { BatchOwner, GroupCommitter } from '../mailbox/group-committer';
import type { RelayMetrics } from '../metrics/relay-metrics';
import { checkPrekeySignatures } from '../prekeys/prekey-signatures';
import type { BatchOutcome, RelayStore } from '../store/relay-store';
import { deviceRoom, userRoom } from './rooms';

export interface ConnectionDeps {
  readonly relayId: string;
  readonly store: RelayStore;
  readonly sodium: Sodium;
  readonly hub: DeliveryHub;
  readonly committer: GroupCommitter;
  readonly metrics: RelayMetrics;
  readonly logger: Logger;
  readonly now: () => number;
  readonly deviceLimiter: RateLimiter;
  readonly addressLimiter: RateLimiter;
  readonly deliveryWindow: DeliveryWindow;
  readonly sessionTtlMs: number;
  /** Bytes of envelopes waiting for the group commit above which new batches are refused. */
  readonly maxQueuedBytes: number;
  readonly isClosing: () => boolean;
  /** Disconnects every other connection of this device (all but socket `keep`), on every node. */
  readonly disconnectDevice: (address: DeviceAddress, keep: string) => void;
  /** Tells a device, wherever it is connected, that its one-time prekeys run low. */
  readonly notifyDevice: (address: DeviceAddress, event: string, payload: unknown) => void;
}

/** Refused events a socket may send within STRIKE_WINDOW_MS before it is disconnected. */
const MAX_STRIKES = 100;
const STRIKE_WINDOW_MS = 10_000;
/** Batches one connection may have waiting for the group commit. */
const MAX_QUEUED_BATCHES = 1024;

type Ack = (result: unknown) => void;

const KNOWN_EVENTS: ReadonlySet<string> = new Set(Object.values(DEVICE_EVENTS));

function fail(code: ErrorCode, message: string): ParleyError {
  return new ParleyError(code, message);
}

function firstIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return 'it is not valid';
  const path = issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
  return `${path}${issue.message}`;
}

export function handleConnection(socket: Socket, deps: ConnectionDeps): void {
  const { logger, metrics, store } = deps;
  const ip = socket.handshake.address;
  let device: DeviceAddress | null = null;
  let deviceText = '';
  let identityKey: Uint8Array | null = null;
  let session: DeliverySession | null = null;
  let nonce: Uint8Array | null = newAuthNonce();
  let strikes = 0;
  let strikeWindowStart = deps.now();
  let queuedBatches = 0;
  let stored: number[] = [];
  let refusedBatches: RefusedBatch[] = [];

  const authDeadline = setTimeout(() => {
    if (device || !socket.connected) return;
    logger.info(
      { event: 'relay.auth_timeout', ip },
      'disconnected a socket that did not authenticate in time',
    );
    socket.disconnect(true);
  }, AUTH_DEADLINE_MS);

  function refuse(event: string, error: ErrorInfo, ack: Ack | null): void {
    metrics.error(error.code);
    logger.warn(
      {
        event: 'relay.refused',
        code: error.code,
        on: event.slice(0, 64),
        ...(device ? { device: deviceText } : { ip }),
      },
      error.message,
    );
    if (ack) ack({ ok: false, error });
    else socket.emit(RELAY_EVENTS.error, { event: event.slice(0, 64), error });
    const now = deps.now();
    if (now - strikeWindowStart > STRIKE_WINDOW_MS) {
      strikeWindowStart = now;
      strikes = 0;
    }
    if (++strikes > MAX_STRIKES && socket.connected) {
      logger.warn(
        { event: 'relay.socket_abusive', ...(device ? { device: deviceText } : { ip }) },
        'disconnected a socket that kept sending refused traffic',
      );
      socket.disconnect(true);
    }
  }

  /** Checks what every event must pass; returns false (having refused it) when it does not. */
  function admit(event: string, args: unknown[], ack: Ack | null, needsAuth: boolean, maxArgs = 1): boolean {
    if (deps.isClosing()) {
      refuse(
        event,
        { code: 'UNAVAILABLE', message: 'The relay is shutting down. Try again in a moment.' },
        ack,
      );
      return false;
    }
    const limited = device ? !deps.deviceLimiter.take(deviceText) : !deps.addressLimiter.take(ip);
    if (limited) {
      refuse(event, { code: 'RATE_LIMITED', message: 'Too many requests. Slow down and try again.' }, ack);
      return false;
    }
    if (needsAuth && !device) {
      refuse(
        event,
        { code: 'RELAY_UNAUTHENTICATED', message: 'This connection has not authenticated its device yet.' },
        ack,
      );
      return false;
    }
    if (args.length < 1 || args.length > maxArgs) {
      const expected = maxArgs === 1 ? 'exactly one argument' : `one to ${maxArgs} arguments`;
      refuse(event, { code: 'WIRE_MALFORMED', message: `${event} takes ${expected}.` }, ack);
      return false;
    }
    return true;
  }

  /** A request: validated arguments in, a Result out through the callback. */
  function request<S extends z.ZodType>(
    event: string,
    schema: S,
    handler: (args: z.output<S>) => Promise<unknown>,
    options: { needsAuth: boolean } = { needsAuth: true },
  ): void {
    socket.on(event, (...args: unknown[]) => {
      const ack = typeof args[args.length - 1] === 'function' ? (args.pop() as Ack) : null;
      if (!admit(event, args, ack, options.needsAuth)) return;
      const parsed = schema.safeParse(args[0]);
      if (!parsed.success) {
        refuse(
          event,
          {
            code: 'INVALID_ARGUMENT',
            message: `The ${event} request is not valid: ${firstIssue(parsed.error)}`,
          },
          ack,
        );
        return;
      }
      handler(parsed.data).then(
        (value) => ack?.({ ok: true, value }),
        (error: unknown) => {
          const info = clientErrorInfo(error);
          if (!(error instanceof ParleyError)) {
            logger.error({ event: 'relay.request_failed', on: event, err: error }, 'a request failed');
          }
          refuse(event, info, ack);
        },
      );
    });
  }

  // ---- Authentication ------------------------------------------------------------------------

  request(
    DEVICE_EVENTS.authProve,
    authProveSchema,
    async (proof): Promise<WireSessionGrant> => {
      if (device) throw fail('CONFLICT', 'This connection is authenticated already.');
      const challenge = nonce;
      nonce = null; // one attempt per nonce: a replayed or repeated proof fails
      if (!challenge) {
        throw fail(
          'RELAY_AUTH_FAILED',
          'This connection already used its challenge. Reconnect to get a new one.',
        );
      }
      const address = { userId: proof.userId, deviceId: proof.deviceId };
      try {
        await checkDeviceProof(challenge, { address, time: proof.time, signature: proof.signature }, deps);
      } catch (error) {
        // Tell the device why, then hang up: it needs a new connection (and nonce) to retry.
        setImmediate(() => socket.disconnect(true));
        throw error;
      }
      if (!socket.connected) throw fail('UNAVAILABLE', 'The connection closed during authentication.');
      deps.disconnectDevice(address, socket.id);
      device = address;
      deviceText = formatAddress(address);
      identityKey = (await store.getDevice(address))?.identityKey ?? null;
      clearTimeout(authDeadline);
      await socket.join([deviceRoom(address), userRoom(address.userId)]);
      metrics.connectedDevices++;
      session = new DeliverySession(address, {
        store,
        window: deps.deliveryWindow,
        send: (frame) => {
          const bytes = Buffer.from(frame.buffer, frame.byteOffset, frame.byteLength);
          socket.emit(
            RELAY_EVENTS.envelopes,
            bytes.length >= BINARY_FRAME_MIN_BYTES ? bytes : bytes.toString('base64url'),
          );
        },
        now: deps.now,
        logger,
        metrics,
      });
      const grant = await issueSession(address);
      const started = session;
      // Deliveries start after the device has its answer (sent before this callback runs).
      setImmediate(() => {
        if (socket.connected) deps.hub.attach(started);
      });
      void store.touchDevice(address, deps.now()).catch(() => {});
      logger.info({ event: 'relay.device_connected', device: deviceText, ip }, 'device authenticated');
      return grant;
    },
    { needsAuth: false },
  );

  async function issueSession(address: DeviceAddress): Promise<WireSessionGrant> {
    const sessionToken = newSecretToken();
    const expiresAt = deps.now() + deps.sessionTtlMs;
    await store.createSession({ tokenHash: hashSecret(sessionToken), address, expiresAt });
    return { sessionToken, expiresAt };
  }

  request(DEVICE_EVENTS.sessionRefresh, noArgsSchema, async () => issueSession(device!));

  // ---- Prekeys -------------------------------------------------------------------------------

  request(DEVICE_EVENTS.prekeysUpload, prekeyUploadSchema, async (upload) => {
    if (!identityKey) throw fail('RELAY_UNKNOWN_DEVICE', 'This device is not registered on this relay.');
    checkPrekeySignatures(upload, identityKey, deps.sodium);
    return store.savePrekeys(device!, upload);
  });

  request(DEVICE_EVENTS.prekeysCounts, noArgsSchema, async () => store.prekeyCounts(device!));

  request(DEVICE_EVENTS.prekeysFetch, prekeysFetchSchema, async ({ userId }) => {
    const bundles = await store.takeBundles(userId);
    for (const bundle of bundles) {
      const address = { userId: bundle.userId, deviceId: bundle.deviceId };
      void store
        .prekeyCounts(address)
        .then((counts) => {
          if (Math.min(counts.oneTimePrekeys, counts.oneTimeKemPrekeys) < LOW_PREKEY_THRESHOLD) {
            deps.notifyDevice(address, RELAY_EVENTS.prekeysLow, counts);
          }
        })
        .catch(() => {});
    }
    return { bundles: bundles.map(prekeyBundleToWire) };
  });

  // ---- Directory and devices -----------------------------------------------------------------

  request(DEVICE_EVENTS.directorySearch, directorySearchSchema, async ({ query }) => ({
    users: await store.searchDirectory(query, MAX_DIRECTORY_RESULTS),
  }));

  request(DEVICE_EVENTS.directoryLookup, directoryLookupSchema, async ({ userId }) => {
    const user = await store.getUser(userId);
    return {
      user:
        user?.status === 'active'
          ? { userId: user.userId, username: user.username, displayName: user.displayName }
          : null,
    };
  });

  request(DEVICE_EVENTS.directoryDevices, directoryDevicesSchema, async ({ userId }) => {
    const user = await store.getUser(userId);
    if (!user) throw fail('NOT_FOUND', 'There is no such user on this relay.');
    const devices = await store.listActiveDevices(userId);
    return {
      devices: devices.map((d) => ({ deviceId: d.deviceId, identityKey: toBase64url(d.identityKey) })),
    };
  });

  request(DEVICE_EVENTS.devicesAdd, devicesAddSchema, async ({ identityKey: newKey }) => {
    const added = await store.addDevice(device!.userId, newKey, deps.now(), `device:${deviceText}`);
    logger.info(
      { event: 'relay.device_added', device: formatAddress(added), by: deviceText },
      'device added',
    );
    return added;
  });

  // ---- Mailboxes -----------------------------------------------------------------------------

  const owner: BatchOwner = {
    batchCommitted(seq: number, outcome: BatchOutcome) {
      queuedBatches--;
      if (outcome.ok) stored.push(seq);
      else refusedBatches.push(refusal(seq, outcome));
    },
    flushCommitted() {
      if (stored.length === 0 && refusedBatches.length === 0) return;
      const message = { stored, refused: refusedBatches };
      stored = [];
      refusedBatches = [];
      if (socket.connected) socket.emit(RELAY_EVENTS.envelopesSent, message);
    },
  };

  /** The device acknowledged these envelopes: free its window, delete them with the next group. */
  function acknowledge(ids: readonly string[]): void {
    session?.acknowledged(ids);
    deps.committer.submitAck(device!, ids, session);
  }

  // A send frame, and optionally acknowledgements riding along in the same message. The hot
  // path: checked by shape here (frame-payload.ts), the frame itself by its decoder.
  socket.on(DEVICE_EVENTS.envelopesSend, (...args: unknown[]) => {
    const event = DEVICE_EVENTS.envelopesSend;
    const ack = typeof args[args.length - 1] === 'function' ? (args.pop() as Ack) : null;
    if (!admit(event, args, ack, true, 2)) return;
    const payload = args[0];
    const problem = framePayloadProblem(payload, 'An envelope frame');
    if (problem !== null) {
      refuse(event, { code: 'WIRE_MALFORMED', message: `The ${event} frame is not valid: ${problem}` }, ack);
      return;
    }
    if (args.length === 2) {
      const ids = readAckIds(args[1]);
      if (ids === null) {
        refuseAcks(event, args[1], ack);
        return;
      }
      acknowledge(ids);
    }
    let batches: SendBatch[];
    try {
      batches = decodeSendFrame(
        typeof payload === 'string' ? Buffer.from(payload, 'base64url') : (payload as Uint8Array),
      );
    } catch (error) {
      refuse(event, clientErrorInfo(error), ack);
      return;
    }
    const busy: ErrorInfo = {
      code: 'RATE_LIMITED',
      message: 'The relay is busy storing earlier envelopes. Retry shortly.',
    };
    const refused: RefusedBatch[] = [];
    for (const batch of batches) {
      if (queuedBatches >= MAX_QUEUED_BATCHES || deps.committer.queuedBytes > deps.maxQueuedBytes) {
        refused.push({ seq: batch.seq, error: busy, rejected: [] });
        continue;
      }
      queuedBatches++;
      deps.committer.submitBatch(owner, batch.seq, batch);
    }
    if (refused.length > 0) {
      refuse(event, busy, ack);
      socket.emit(RELAY_EVENTS.envelopesSent, { stored: [], refused });
    }
  });

  /** Refuses acknowledgements that are not valid, saying why (the zod schema finds the words). */
  function refuseAcks(event: string, value: unknown, ack: Ack | null): void {
    const parsed = envelopesAckSchema.safeParse(value);
    const why = parsed.success ? 'they are not valid' : firstIssue(parsed.error);
    refuse(event, { code: 'INVALID_ARGUMENT', message: `The acknowledgements are not valid: ${why}` }, ack);
  }

  socket.on(DEVICE_EVENTS.envelopesAck, (...args: unknown[]) => {
    const event = DEVICE_EVENTS.envelopesAck;
    const ack = typeof args[args.length - 1] === 'function' ? (args.pop() as Ack) : null;
    if (!admit(event, args, ack, true)) return;
    const ids = readAckIds(args[0]);
    if (ids === null) {
      const parsed = envelopesAckSchema.safeParse(args[0]);
      const why = parsed.success ? 'it is not valid' : firstIssue(parsed.error);
      refuse(event, { code: 'INVALID_ARGUMENT', message: `The ${event} payload is not valid: ${why}` }, ack);
      return;
    }
    acknowledge(ids);
    ack?.({ ok: true, value: {} });
  });

  socket.onAny((event: unknown, ...args: unknown[]) => {
    if (typeof event === 'string' && KNOWN_EVENTS.has(event)) return;
    const ack = typeof args[args.length - 1] === 'function' ? (args[args.length - 1] as Ack) : null;
    refuse(
      typeof event === 'string' ? event : '(not a name)',
      { code: 'INVALID_ARGUMENT', message: 'The relay does not know this event.' },
      ack,
    );
  });

  socket.on('disconnect', (reason) => {
    clearTimeout(authDeadline);
    if (!device) return;
    metrics.connectedDevices--;
    if (session) deps.hub.detach(session);
    void store.touchDevice(device, deps.now()).catch(() => {});
    logger.info({ event: 'relay.device_disconnected', device: deviceText, reason }, 'device disconnected');
  });

  socket.emit(RELAY_EVENTS.authChallenge, {
    protocol: RELAY_PROTOCOL_VERSION,
    relayId: deps.relayId,
    nonce: toBase64url(nonce),
    time: deps.now(),
  });
}

function refusal(seq: number, outcome: Extract<BatchOutcome, { ok: false }>): RefusedBatch {
  return {
    seq,
    error: { code: outcome.code, message: messageFor(outcome.code) },
    rejected: outcome.rejected.map((r) => ({ index: r.index, code: r.code })),
  };
}

function messageFor(code: ErrorCode): string {
  switch (code) {
    case 'RELAY_MAILBOX_FULL':
      return "A recipient's mailbox is full; nothing in this batch was stored. Try again later.";
    case 'RELAY_UNKNOWN_DEVICE':
      return 'A recipient device is not registered on this relay; nothing in this batch was stored.';
    case 'RELAY_DEVICE_REVOKED':
      return 'A recipient device was removed from its account; nothing in this batch was stored.';
    case 'RELAY_USER_DEACTIVATED':
      return 'A recipient account was deactivated; nothing in this batch was stored.';
    case 'UNAVAILABLE':
      return 'The relay could not store this batch. Try again.';
    default:
      return 'This batch was not stored.';
  }
}
