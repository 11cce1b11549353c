/**
 * The messenger core's side of the relay: socket.io for the conversation (authentication,
 * envelopes, prekeys, directory), fetch for registration and blob requests, node:http for blob
 * bytes (uploads and downloads; fetch when one is given in the options). Plain Node:
 * it never imports electron. The identity secret key never enters this code: the caller passes
 * a `sign` function. Everything the relay answers is validated (the relay is not trusted).
 * See README.md in this folder for how the messenger uses it.
 */
import { Readable } from 'node:stream';
import { io, type Socket } from 'socket.io-client';
import type { z } from 'zod';
import { type DeviceAddress, formatAddress } from '../../../shared/address';
import { type ErrorCode, type ErrorInfo, ParleyError } from '../../../shared/errors';
import type { ConnectionState } from '../../../shared/ipc';
import type { PrekeyBundle, PrekeyCounts, PrekeyUpload } from '../../../shared/prekeys';
import { encodeAuthProof } from '../../../shared/relay-protocol/auth-proof';
import { toBase64url } from '../../../shared/relay-protocol/base64url';
import {
  type DeliveredEnvelope,
  decodeDeliveryFrame,
  encodeSendFrame,
  type OutgoingEnvelope,
  SEND_BATCH_HEADER_BYTES,
  SEND_FRAME_HEADER_BYTES,
  type SendBatch,
  sendItemBytes,
} from '../../../shared/relay-protocol/envelope-frame';
import {
  DEVICE_EVENTS,
  type DeviceKey,
  type DirectoryUser,
  type EnvelopesSent,
  RELAY_EVENTS,
  type RefusedBatch,
  type RelayRequest,
} from '../../../shared/relay-protocol/events';
import { BINARY_FRAME_MIN_BYTES, framePayloadProblem } from '../../../shared/relay-protocol/frame-payload';
import {
  MAX_ACK_IDS,
  MAX_BATCH_ENVELOPES,
  MAX_ENVELOPE_BYTES,
  MAX_FRAME_BYTES,
} from '../../../shared/relay-protocol/limits';
import { prekeyUploadToWire } from '../../../shared/relay-protocol/prekey-wire';
import {
  blobPath,
  blobStatusPath,
  CAPABILITY_HEADER,
  ROUTES,
  SESSION_AUTH_SCHEME,
  UPLOAD_OFFSET_HEADER,
} from '../../../shared/relay-protocol/routes';
import {
  authChallengeSchema,
  blobCreatedSchema,
  blobStatusSchema,
  deviceAddressSchema,
  directoryDevicesResultSchema,
  directoryLookupResultSchema,
  directorySearchResultSchema,
  envelopesSentSchema,
  prekeyCountsSchema,
  prekeysFetchResultSchema,
  registerResponseSchema,
  relayErrorNoticeSchema,
  resultSchema,
  revokedNoticeSchema,
  sessionGrantSchema,
} from '../../../shared/relay-protocol/schemas';
import { Backoff } from './backoff';
import { nodeHttpExchange, nodeHttpFetch, toResponse } from './node-http-fetch';
import { malformedAnswer, RelaySendError, unreachable } from './relay-client-errors';
import { readJson, relayFetch, throwIfFailed } from './relay-http';

/** The logging the client does (a pino logger fits). Nothing secret is ever passed to it. */
export interface RelayClientLogger {
  debug(fields: object, message?: string): void;
  info(fields: object, message?: string): void;
  warn(fields: object, message?: string): void;
  error(fields: object, message?: string): void;
}

export interface RelayClientOptions {
  /** The relay's base URL, http(s)://host:port. */
  readonly url: string;
  /** This device's Ed25519 identity public key (32 bytes). */
  readonly identityPublicKey: Uint8Array;
  /** Signs with this device's identity secret key (Ed25519, detached signature). */
  readonly sign: (message: Uint8Array) => Uint8Array | Promise<Uint8Array>;
  readonly logger?: RelayClientLogger;
  /** The clock, milliseconds since the epoch. */
  readonly now?: () => number;
  readonly reconnect?: { readonly minDelayMs?: number; readonly maxDelayMs?: number };
  /** How long a request or a send waits for the relay's answer. */
  readonly requestTimeoutMs?: number;
  /** For tests or proxies: the fetch to use. */
  readonly fetch?: typeof fetch;
}

export interface ReceivedEnvelope {
  /** The relay's id of this envelope in the device's mailbox (acknowledged by it). */
  readonly id: string;
  readonly bytes: Uint8Array;
}

export type EnvelopeHandler = (envelopes: readonly ReceivedEnvelope[]) => Promise<void>;
export type StateListener = (state: ConnectionState, error: ErrorInfo | null) => void;

export interface BlobRef {
  readonly id: string;
  /** The capability to download it: send it (with the id) inside the encrypted message. */
  readonly token: string;
  readonly expiresAt: number;
}

export interface BlobStatus {
  /** Bytes the relay holds: where an interrupted upload resumes. */
  readonly offset: number;
  readonly size: number;
  readonly complete: boolean;
}

export interface BlobDownload {
  /** Total size of the blob. */
  readonly size: number;
  /** First and last byte (inclusive) of what `body` carries. */
  readonly start: number;
  readonly end: number;
  /** A Node stream (destroy it to stop early). */
  readonly body: Readable;
}

export type UploadSource = AsyncIterable<Uint8Array> | ReadableStream<Uint8Array>;

/** Errors after which reconnecting cannot help: the device must register again. */
const FATAL: ReadonlySet<ErrorCode> = new Set([
  'RELAY_DEVICE_REVOKED',
  'RELAY_USER_DEACTIVATED',
  'RELAY_UNKNOWN_DEVICE',
]);

interface PendingSend {
  readonly envelopes: readonly OutgoingEnvelope[];
  readonly deadline: number;
  readonly resolve: () => void;
  readonly reject: (error: Error) => void;
}

/** Result<T> schemas, built once per value schema. */
const resultSchemas = new WeakMap<z.ZodType, z.ZodType>();

/**
 * How long acknowledgements may wait for company, and how many (or how many envelope bytes)
 * make them leave at once. The bytes bound stays well below what the relay lets a device hold
 * unacknowledged (4 MiB), so that large envelopes never wait for the timer to be delivered.
 */
const ACK_DELAY_MS = 100;
const ACK_FLUSH_COUNT = 256;
const ACK_FLUSH_BYTES = 1024 * 1024;

const noopLogger: RelayClientLogger = { debug() {}, info() {}, warn() {}, error() {} };

/**
 * An acknowledgement that stores batches and refuses none, exactly as envelopesSentSchema would
 * accept it; null for anything else (which then goes through the schema).
 */
function storedOnly(raw: unknown): EnvelopesSent | null {
  if (typeof raw !== 'object' || raw === null) return null;
  const { stored, refused } = raw as { stored?: unknown; refused?: unknown };
  if (!Array.isArray(stored) || stored.length === 0 || !Array.isArray(refused) || refused.length > 0)
    return null;
  if (Object.keys(raw).length !== 2) return null;
  for (const seq of stored) if (!Number.isInteger(seq) || seq < 0 || seq > 0xffffffff) return null;
  return { stored: stored as number[], refused: [] };
}

function toStream(source: UploadSource): ReadableStream<Uint8Array> {
  if (source instanceof ReadableStream) return source;
  const iterator = source[Symbol.asyncIterator]();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const { value, done } = await iterator.next();
      if (done) controller.close();
      else controller.enqueue(value);
    },
    async cancel() {
      await iterator.return?.();
    },
  });
}

export class RelayClient {
  private readonly url: string;
  private readonly logger: RelayClientLogger;
  private readonly now: () => number;
  private readonly requestTimeoutMs: number;
  private readonly fetchImpl: typeof fetch;
  /** Blob bytes go over node:http unless a fetch was given (tests, proxies). */
  private readonly streamingFetch: boolean;
  private readonly backoff: Backoff;
  private readonly minDelayMs: number;
  private readonly maxDelayMs: number;

  private socket: Socket | null = null;
  private device: DeviceAddress | null = null;
  private currentState: ConnectionState = 'offline';
  private lastError: ErrorInfo | null = null;
  private readonly stateListeners = new Set<StateListener>();
  private connectWaiters: { resolve: () => void; reject: (error: Error) => void }[] = [];
  private reconnectTimer: NodeJS.Timeout | null = null;
  private stopped = false;

  private envelopeHandler: EnvelopeHandler | null = null;
  private readonly waitingForHandler: ReceivedEnvelope[][] = [];
  private pendingAcks: string[] = [];
  /** Envelope bytes the pending acknowledgements stand for (reset when none are pending). */
  private pendingAckBytes = 0;
  private ackTimer: NodeJS.Timeout | null = null;
  private processing: Promise<void> = Promise.resolve();
  private readonly prekeysLowListeners = new Set<(counts: PrekeyCounts) => void>();

  private readonly pendingSends = new Map<number, PendingSend>();
  private nextSeq = 0;
  private outgoing: SendBatch[] = [];
  private outgoingBytes = SEND_FRAME_HEADER_BYTES;
  private flushQueued = false;
  private sendSweep: NodeJS.Timeout | null = null;
  private session: { token: string; expiresAt: number } | null = null;

  constructor(private readonly options: RelayClientOptions) {
    this.url = options.url.replace(/\/+$/, '');
    this.logger = options.logger ?? noopLogger;
    this.now = options.now ?? Date.now;
    this.requestTimeoutMs = options.requestTimeoutMs ?? 30_000;
    this.fetchImpl = options.fetch ?? fetch;
    this.streamingFetch = options.fetch === undefined;
    this.minDelayMs = options.reconnect?.minDelayMs ?? 500;
    this.maxDelayMs = options.reconnect?.maxDelayMs ?? 30_000;
    this.backoff = new Backoff({ minDelayMs: this.minDelayMs, maxDelayMs: this.maxDelayMs });
  }

  // ---- Registration --------------------------------------------------------------------------

  /**
   * Creates the user and this device (device 1) on the relay. `invitationCode` null asks for
   * open registration, which only a loopback relay started with it allows.
   */
  async register(input: {
    readonly username: string;
    readonly displayName: string;
    readonly invitationCode: string | null;
    readonly identityKey?: Uint8Array;
  }): Promise<DeviceAddress> {
    const response = await relayFetch(
      `${this.url}${ROUTES.register}`,
      {
        method: 'POST',
        json: {
          username: input.username,
          displayName: input.displayName,
          invitationCode: input.invitationCode,
          identityKey: toBase64url(input.identityKey ?? this.options.identityPublicKey),
        },
      },
      this.fetchImpl,
    );
    return readJson(response, registerResponseSchema, 'registration');
  }

  // ---- Connection ----------------------------------------------------------------------------

  get state(): ConnectionState {
    return this.currentState;
  }

  get address(): DeviceAddress | null {
    return this.device;
  }

  /** Called with every change of state, and the error behind an 'offline' (or null). */
  onStateChange(listener: StateListener): () => void {
    this.stateListeners.add(listener);
    return () => this.stateListeners.delete(listener);
  }

  /**
   * Connects as `address`, authenticates with a signature over the relay's challenge, and stays
   * connected: after any loss it reconnects with backoff by itself. Resolves when first online;
   * rejects if the relay refuses the device for good (revoked, deactivated, unknown) or on close.
   */
  connect(address: DeviceAddress): Promise<void> {
    if (this.stopped) return Promise.reject(unreachable('The relay client is closed.'));
    if (this.socket)
      return Promise.reject(new ParleyError('CONFLICT', 'This relay client is connected already.'));
    this.device = address;
    const socket = io(this.url, {
      transports: ['websocket'],
      forceNew: true,
      autoConnect: false,
      reconnection: true,
      reconnectionDelay: this.minDelayMs,
      reconnectionDelayMax: this.maxDelayMs,
      randomizationFactor: 0.5,
    });
    this.socket = socket;
    socket.on(RELAY_EVENTS.authChallenge, (raw: unknown) => void this.answerChallenge(socket, raw));
    socket.on(RELAY_EVENTS.envelopes, (frame: unknown) => this.onDelivery(frame));
    socket.on(RELAY_EVENTS.envelopesSent, (raw: unknown) => this.onSent(raw));
    socket.on(RELAY_EVENTS.prekeysLow, (raw: unknown) => {
      const counts = prekeyCountsSchema.safeParse(raw);
      if (counts.success) for (const listener of this.prekeysLowListeners) listener(counts.data);
    });
    socket.on(RELAY_EVENTS.error, (raw: unknown) => {
      const notice = relayErrorNoticeSchema.safeParse(raw);
      if (notice.success) {
        this.logger.warn(
          { event: 'relay_client.refused', on: notice.data.event, code: notice.data.error.code },
          notice.data.error.message,
        );
      }
    });
    socket.on(RELAY_EVENTS.revoked, (raw: unknown) => {
      const notice = revokedNoticeSchema.safeParse(raw);
      this.stop(
        notice.success
          ? notice.data.error
          : { code: 'RELAY_DEVICE_REVOKED', message: 'The relay cut off this device.' },
      );
    });
    socket.on('connect', () => this.setState('connecting', null));
    socket.io.on('reconnect_attempt', () => this.setState('connecting', null));
    socket.on('connect_error', (error: Error & { data?: unknown }) => {
      const data = error.data as Partial<ErrorInfo> | undefined;
      this.setState('offline', {
        code: 'RELAY_UNREACHABLE',
        message: data?.message ?? 'Could not reach the relay; retrying.',
      });
      // Refused by the relay (not a network failure): socket.io does not retry by itself.
      if (!socket.active) this.scheduleReconnect();
    });
    socket.on('disconnect', (reason) => {
      this.session = null;
      this.failPendingSends(unreachable('The connection to the relay was lost before it confirmed.'));
      if (this.stopped) return;
      this.setState(
        'offline',
        this.lastError ?? { code: 'RELAY_UNREACHABLE', message: 'Disconnected from the relay; retrying.' },
      );
      if (reason === 'io server disconnect') this.scheduleReconnect();
    });
    const connected = new Promise<void>((resolve, reject) => this.connectWaiters.push({ resolve, reject }));
    this.setState('connecting', null);
    socket.connect();
    return connected;
  }

  private scheduleReconnect(): void {
    if (this.stopped || this.reconnectTimer) return;
    const delay = this.backoff.next();
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = null;
      if (!this.stopped && this.socket && !this.socket.connected) {
        this.setState('connecting', null);
        this.socket.connect();
      }
    }, delay);
  }

  private async answerChallenge(socket: Socket, raw: unknown): Promise<void> {
    const challenge = authChallengeSchema.safeParse(raw);
    const device = this.device;
    if (!challenge.success || !device) {
      this.logger.warn({ event: 'relay_client.bad_challenge' }, 'the relay sent a malformed challenge');
      socket.disconnect();
      this.scheduleReconnect();
      return;
    }
    try {
      const time = this.now();
      const signature = await this.options.sign(
        encodeAuthProof({ nonce: challenge.data.nonce, relayId: challenge.data.relayId, time }),
      );
      const grant = await this.request(
        DEVICE_EVENTS.authProve,
        { userId: device.userId, deviceId: device.deviceId, time, signature: toBase64url(signature) },
        sessionGrantSchema,
        { duringAuth: true },
      );
      if (this.socket !== socket || !socket.connected) return;
      this.session = { token: grant.sessionToken, expiresAt: grant.expiresAt };
      this.backoff.reset();
      this.lastError = null;
      this.setState('online', null);
      this.logger.info(
        { event: 'relay_client.online', device: formatAddress(device) },
        'connected to the relay',
      );
      for (const waiter of this.connectWaiters.splice(0)) waiter.resolve();
    } catch (error) {
      const info: ErrorInfo =
        error instanceof ParleyError
          ? error.toInfo()
          : { code: 'INTERNAL', message: 'Could not sign in to the relay.' };
      this.logger.warn({ event: 'relay_client.auth_failed', code: info.code }, info.message);
      if (FATAL.has(info.code)) {
        this.stop(info);
        return;
      }
      // The relay hangs up after a failed proof; come back later with a new challenge.
      this.lastError = info;
      this.setState('offline', info);
      socket.disconnect();
      this.scheduleReconnect();
    }
  }

  /** Stops for good (fatal refusal or close): no more reconnects; waiting callers are told. */
  private stop(error: ErrorInfo): void {
    if (this.stopped) return;
    this.stopped = true;
    this.lastError = error;
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    this.reconnectTimer = null;
    this.socket?.disconnect();
    this.failPendingSends(new ParleyError(error.code, error.message));
    this.setState('offline', error);
    for (const waiter of this.connectWaiters.splice(0))
      waiter.reject(new ParleyError(error.code, error.message));
  }

  private setState(state: ConnectionState, error: ErrorInfo | null): void {
    if (state === this.currentState && error === null) return;
    this.currentState = state;
    for (const listener of this.stateListeners) {
      try {
        listener(state, error);
      } catch (e) {
        this.logger.error({ event: 'relay_client.listener_failed', err: e }, 'a state listener threw');
      }
    }
  }

  // ---- Requests ------------------------------------------------------------------------------

  private async request<S extends z.ZodType>(
    event: RelayRequest,
    args: unknown,
    valueSchema: S,
    options: { duringAuth?: boolean } = {},
  ): Promise<z.output<S>> {
    const socket = this.socket;
    if (!socket?.connected || (!options.duringAuth && this.currentState !== 'online')) throw unreachable();
    let raw: unknown;
    try {
      raw = await socket.timeout(this.requestTimeoutMs).emitWithAck(event, args);
    } catch {
      throw new ParleyError('TIMEOUT', 'The relay did not answer in time. Try again.');
    }
    let wrapped = resultSchemas.get(valueSchema);
    if (!wrapped) {
      wrapped = resultSchema(valueSchema);
      resultSchemas.set(valueSchema, wrapped);
    }
    const parsed = wrapped.safeParse(raw);
    if (!parsed.success) throw malformedAnswer(event);
    const result = parsed.data as { ok: true; value: z.output<S> } | { ok: false; error: ErrorInfo };
    if (!result.ok) throw new ParleyError(result.error.code, result.error.message);
    return result.value;
  }

  async uploadPrekeys(upload: PrekeyUpload): Promise<PrekeyCounts> {
    return this.request(DEVICE_EVENTS.prekeysUpload, prekeyUploadToWire(upload), prekeyCountsSchema);
  }

  async prekeyCounts(): Promise<PrekeyCounts> {
    return this.request(DEVICE_EVENTS.prekeysCounts, {}, prekeyCountsSchema);
  }

  /** One bundle per active device of the user, each consuming one-time prekeys on the relay. */
  async fetchBundles(userId: string): Promise<PrekeyBundle[]> {
    const result = await this.request(DEVICE_EVENTS.prekeysFetch, { userId }, prekeysFetchResultSchema);
    for (const bundle of result.bundles) {
      if (bundle.userId !== userId) throw malformedAnswer('a bundle for another user');
    }
    return result.bundles;
  }

  /** Called when the relay reports this device's one-time prekeys running low. */
  onPrekeysLow(listener: (counts: PrekeyCounts) => void): () => void {
    this.prekeysLowListeners.add(listener);
    return () => this.prekeysLowListeners.delete(listener);
  }

  async searchDirectory(query: string): Promise<DirectoryUser[]> {
    return (await this.request(DEVICE_EVENTS.directorySearch, { query }, directorySearchResultSchema)).users;
  }

  /** An active user by id (to name the sender of a first message), or null. */
  async lookupUser(userId: string): Promise<DirectoryUser | null> {
    return (await this.request(DEVICE_EVENTS.directoryLookup, { userId }, directoryLookupResultSchema)).user;
  }

  /** The user's active devices and their identity keys. */
  async listDevices(userId: string): Promise<DeviceKey[]> {
    return (await this.request(DEVICE_EVENTS.directoryDevices, { userId }, directoryDevicesResultSchema))
      .devices;
  }

  /** Adds a device (its identity public key) to this device's user; returns its address. */
  async addDevice(identityKey: Uint8Array): Promise<DeviceAddress> {
    return this.request(
      DEVICE_EVENTS.devicesAdd,
      { identityKey: toBase64url(identityKey) },
      deviceAddressSchema,
    );
  }

  // ---- Envelopes -----------------------------------------------------------------------------

  /**
   * Sends sealed envelopes; resolves once the relay has durably stored every one of them. A
   * refused batch rejects with a RelaySendError naming the recipients at fault; a lost
   * connection rejects with RELAY_UNREACHABLE (the relay may have stored it: recipients
   * deduplicate by message id, so sending again is safe).
   */
  send(batch: readonly OutgoingEnvelope[]): Promise<void> {
    if (batch.length === 0) return Promise.resolve();
    for (const envelope of batch) {
      if (envelope.bytes.length === 0 || envelope.bytes.length > MAX_ENVELOPE_BYTES) {
        return Promise.reject(
          new ParleyError(
            'PAYLOAD_TOO_LARGE',
            `An envelope holds 1 byte to ${MAX_ENVELOPE_BYTES / 1024} KiB; send larger content as an attachment.`,
          ),
        );
      }
    }
    const socket = this.socket;
    if (!socket?.connected || this.currentState !== 'online') return Promise.reject(unreachable());
    // Wire batches: at most MAX_BATCH_ENVELOPES each, and each fits in one frame.
    const parts: OutgoingEnvelope[][] = [];
    let part: OutgoingEnvelope[] = [];
    let size = SEND_FRAME_HEADER_BYTES + SEND_BATCH_HEADER_BYTES;
    for (const envelope of batch) {
      const itemBytes = sendItemBytes(envelope);
      if (part.length > 0 && (part.length === MAX_BATCH_ENVELOPES || size + itemBytes > MAX_FRAME_BYTES)) {
        parts.push(part);
        part = [];
        size = SEND_FRAME_HEADER_BYTES + SEND_BATCH_HEADER_BYTES;
      }
      part.push(envelope);
      size += itemBytes;
    }
    parts.push(part);
    if (parts.length === 1) return this.queueBatch(parts[0]!, size - SEND_FRAME_HEADER_BYTES);
    return Promise.all(
      parts.map((envelopes) =>
        this.queueBatch(
          envelopes,
          envelopes.reduce((n, e) => n + sendItemBytes(e), SEND_BATCH_HEADER_BYTES),
        ),
      ),
    ).then(() => undefined);
  }

  /**
   * Queues one wire batch. Batches sent in the same turn of the event loop leave together in one
   * frame (they keep their own numbers and acks): one socket.io message instead of one each.
   */
  private queueBatch(envelopes: readonly OutgoingEnvelope[], bytes: number): Promise<void> {
    if (this.outgoingBytes + bytes > MAX_FRAME_BYTES) this.flushOutgoing();
    const seq = this.nextSeq;
    this.nextSeq = (this.nextSeq + 1) % 0x1_0000_0000;
    return new Promise<void>((resolve, reject) => {
      this.pendingSends.set(seq, {
        envelopes,
        deadline: this.now() + this.requestTimeoutMs,
        resolve,
        reject,
      });
      this.sendSweep ??= setInterval(() => this.expireSends(), 1_000);
      this.outgoing.push({ seq, envelopes });
      this.outgoingBytes += bytes;
      if (!this.flushQueued) {
        this.flushQueued = true;
        queueMicrotask(() => {
          this.flushQueued = false;
          this.flushOutgoing();
        });
      }
    });
  }

  private flushOutgoing(): void {
    const batches = this.outgoing;
    if (batches.length === 0) return;
    this.outgoing = [];
    this.outgoingBytes = SEND_FRAME_HEADER_BYTES;
    const socket = this.socket;
    let frame: Uint8Array;
    try {
      if (!socket?.connected || this.currentState !== 'online') throw unreachable();
      frame = encodeSendFrame(batches);
    } catch (error) {
      for (const { seq } of batches) {
        const pending = this.pendingSends.get(seq);
        this.pendingSends.delete(seq);
        pending?.reject(error as Error);
      }
      this.stopSweepIfIdle();
      return;
    }
    const bytes = Buffer.from(frame.buffer, frame.byteOffset, frame.byteLength);
    const payload = bytes.length >= BINARY_FRAME_MIN_BYTES ? bytes : bytes.toString('base64url');
    if (this.pendingAcks.length === 0) {
      socket.emit(DEVICE_EVENTS.envelopesSend, payload);
      return;
    }
    // Pending acknowledgements ride along in the same message.
    socket.emit(DEVICE_EVENTS.envelopesSend, payload, { ids: this.pendingAcks.splice(0, MAX_ACK_IDS) });
    // The ack timer is left to run out: with nothing pending it sends nothing, and clearing and
    // setting it again for every frame costs more than letting it fire once.
    if (this.pendingAcks.length === 0) this.pendingAckBytes = 0;
  }

  private onSent(raw: unknown): void {
    // The usual answer (stored batches, none refused) is checked by hand; anything else by zod.
    let sent = storedOnly(raw);
    if (sent === null) {
      const parsed = envelopesSentSchema.safeParse(raw);
      if (!parsed.success) {
        this.logger.warn({ event: 'relay_client.bad_ack' }, 'the relay sent a malformed acknowledgement');
        return;
      }
      sent = parsed.data;
    }
    for (const seq of sent.stored) {
      const pending = this.pendingSends.get(seq);
      if (!pending) continue;
      this.pendingSends.delete(seq);
      pending.resolve();
    }
    for (const refused of sent.refused) this.refuseSend(refused);
    // The expiry sweep stops on its own next tick once nothing is pending, rather than being
    // stopped here and started again by the very next send.
  }

  private refuseSend(refused: RefusedBatch): void {
    const pending = this.pendingSends.get(refused.seq);
    if (!pending) return;
    this.pendingSends.delete(refused.seq);
    const rejected = refused.rejected.flatMap((r) => {
      const envelope = pending.envelopes[r.index];
      return envelope ? [{ to: envelope.to, code: r.code }] : [];
    });
    pending.reject(new RelaySendError(refused.error, rejected));
  }

  private expireSends(): void {
    const now = this.now();
    for (const [seq, pending] of this.pendingSends) {
      if (pending.deadline <= now) {
        this.pendingSends.delete(seq);
        pending.reject(
          new ParleyError('TIMEOUT', 'The relay did not confirm in time; the message will be retried.'),
        );
      }
    }
    this.stopSweepIfIdle();
  }

  private stopSweepIfIdle(): void {
    if (this.pendingSends.size === 0 && this.sendSweep) {
      clearInterval(this.sendSweep);
      this.sendSweep = null;
    }
  }

  private failPendingSends(error: Error): void {
    const pending = [...this.pendingSends.values()];
    this.pendingSends.clear();
    this.stopSweepIfIdle();
    for (const p of pending) p.reject(error);
  }

  /**
   * Receives envelopes, one delivery at a time and in order. When the handler's promise
   * resolves (the messenger has stored them), the client acknowledges them and the relay deletes
   * them; if it rejects, they stay on the relay and come again on the next connection.
   * Deliveries that arrive before a handler is set wait for it.
   */
  onEnvelopes(handler: EnvelopeHandler): () => void {
    this.envelopeHandler = handler;
    const waiting = this.waitingForHandler.splice(0);
    for (const envelopes of waiting) this.enqueue(envelopes);
    return () => {
      if (this.envelopeHandler === handler) this.envelopeHandler = null;
    };
  }

  private onDelivery(frame: unknown): void {
    let envelopes: DeliveredEnvelope[];
    try {
      if (framePayloadProblem(frame, 'A delivery') !== null)
        throw malformedAnswer('a delivery that is not a frame');
      envelopes = decodeDeliveryFrame(
        typeof frame === 'string' ? Buffer.from(frame, 'base64url') : (frame as Uint8Array),
      );
    } catch (error) {
      this.logger.warn(
        { event: 'relay_client.bad_delivery', code: error instanceof ParleyError ? error.code : 'INTERNAL' },
        'dropped a malformed delivery; the relay will send it again',
      );
      return;
    }
    if (!this.envelopeHandler) {
      this.waitingForHandler.push(envelopes);
      return;
    }
    this.enqueue(envelopes);
  }

  private enqueue(envelopes: readonly ReceivedEnvelope[]): void {
    this.processing = this.processing.then(async () => {
      const handler = this.envelopeHandler;
      if (!handler) {
        this.waitingForHandler.push([...envelopes]);
        return;
      }
      try {
        await handler(envelopes);
      } catch (error) {
        this.logger.error(
          { event: 'relay_client.handler_failed', err: error },
          'could not keep received envelopes; they stay on the relay',
        );
        return;
      }
      for (const e of envelopes) {
        this.pendingAcks.push(e.id);
        this.pendingAckBytes += e.bytes.length;
      }
      if (this.pendingAcks.length >= ACK_FLUSH_COUNT || this.pendingAckBytes >= ACK_FLUSH_BYTES)
        this.flushAcks();
      else this.ackTimer ??= setTimeout(() => this.flushAcks(), ACK_DELAY_MS);
    });
  }

  /**
   * Acknowledgements wait up to ACK_DELAY_MS to leave together, or with this device's next send
   * frame: the envelopes are stored already, and one message for many acks costs both ends far
   * less. Ids stay valid across reconnects; if the client stops before they leave, the relay
   * sends those envelopes again and the messenger drops the duplicates.
   */
  private flushAcks(): void {
    if (this.ackTimer) clearTimeout(this.ackTimer);
    this.ackTimer = null;
    const socket = this.socket;
    if (!socket?.connected || this.currentState !== 'online') return; // sent once online again
    while (this.pendingAcks.length > 0) {
      socket.emit(DEVICE_EVENTS.envelopesAck, { ids: this.pendingAcks.splice(0, MAX_ACK_IDS) });
    }
    this.pendingAckBytes = 0;
  }

  // ---- Attachment blobs ----------------------------------------------------------------------

  private async sessionToken(): Promise<string> {
    if (this.session && this.session.expiresAt - this.now() > 60_000) return this.session.token;
    const grant = await this.request(DEVICE_EVENTS.sessionRefresh, {}, sessionGrantSchema);
    this.session = { token: grant.sessionToken, expiresAt: grant.expiresAt };
    return grant.sessionToken;
  }

  private async authorization(): Promise<Record<string, string>> {
    return { authorization: `${SESSION_AUTH_SCHEME} ${await this.sessionToken()}` };
  }

  /**
   * Reserves a blob of `size` bytes on the relay. With `recipients`, the relay deletes it once
   * that many devices released it (releaseBlob).
   */
  async createBlob(size: number, options: { readonly recipients?: number } = {}): Promise<BlobRef> {
    const response = await relayFetch(
      `${this.url}${ROUTES.blobs}`,
      {
        method: 'POST',
        headers: await this.authorization(),
        json: options.recipients === undefined ? { size } : { size, recipients: options.recipients },
      },
      this.fetchImpl,
    );
    return readJson(response, blobCreatedSchema, 'a new blob');
  }

  /** Deletes a blob this device uploaded (crypto-shredding: its key is deleted by the caller). */
  async deleteBlob(id: string): Promise<void> {
    const response = await relayFetch(
      `${this.url}${blobPath(id)}`,
      { method: 'DELETE', headers: await this.authorization() },
      this.fetchImpl,
    );
    await throwIfFailed(response);
  }

  /** Tells the relay this device is done with the blob: it holds a verified copy, or never will. */
  async releaseBlob(id: string, token: string): Promise<void> {
    const response = await relayFetch(
      `${this.url}${blobPath(id)}`,
      { method: 'DELETE', headers: { [CAPABILITY_HEADER]: token } },
      this.fetchImpl,
    );
    await throwIfFailed(response);
  }

  /** How much of a blob the relay holds (to resume an upload). */
  async blobStatus(id: string): Promise<BlobStatus> {
    const response = await relayFetch(
      `${this.url}${blobStatusPath(id)}`,
      { method: 'GET', headers: await this.authorization() },
      this.fetchImpl,
    );
    return readJson(response, blobStatusSchema, 'a blob status');
  }

  /**
   * Uploads `source`, the blob's bytes from `offset` (default 0) on, streaming. Without `blob`
   * it first reserves a new blob of `size` bytes. If the upload is interrupted, ask
   * `blobStatus(id)` for the offset the relay holds and call again from there with `blob`.
   */
  async upload(
    source: UploadSource,
    options: { readonly size: number; readonly offset?: number; readonly blob?: BlobRef },
  ): Promise<BlobRef & BlobStatus> {
    const blob = options.blob ?? (await this.createBlob(options.size));
    const url = `${this.url}${blobPath(blob.id)}`;
    const headers = { ...(await this.authorization()), [UPLOAD_OFFSET_HEADER]: String(options.offset ?? 0) };
    const response = this.streamingFetch
      ? await nodeHttpFetch(url, { method: 'PATCH', headers, body: source })
      : await relayFetch(url, { method: 'PATCH', headers, body: toStream(source) }, this.fetchImpl);
    const status = await readJson(response, blobStatusSchema, 'an upload');
    return { ...blob, ...status };
  }

  /** Downloads a blob (or the byte range `range`, last byte inclusive) with its capability token. */
  async download(
    id: string,
    token: string,
    range?: { readonly start: number; readonly end?: number },
  ): Promise<BlobDownload> {
    const headers: Record<string, string> = { [CAPABILITY_HEADER]: token };
    if (range) headers.range = `bytes=${range.start}-${range.end ?? ''}`;
    const url = `${this.url}${blobPath(id)}`;
    let status: number;
    let header: (name: string) => string | null;
    let body: Readable;
    if (this.streamingFetch) {
      const res = await nodeHttpExchange(url, { method: 'GET', headers });
      if ((res.statusCode ?? 0) < 200 || (res.statusCode ?? 0) > 299) await throwIfFailed(toResponse(res));
      status = res.statusCode ?? 0;
      header = (name) => {
        const value = res.headers[name];
        return typeof value === 'string' ? value : null;
      };
      body = res;
    } else {
      const response = await relayFetch(url, { method: 'GET', headers }, this.fetchImpl);
      await throwIfFailed(response);
      if (!response.body) throw malformedAnswer('a download without a body');
      status = response.status;
      header = (name) => response.headers.get(name);
      body = Readable.fromWeb(response.body as never);
    }
    const length = Number(header('content-length'));
    if (status === 206) {
      const match = /^bytes (\d+)-(\d+)\/(\d+)$/.exec(header('content-range') ?? '');
      if (!match) {
        body.destroy();
        throw malformedAnswer('a partial download without its range');
      }
      return { start: Number(match[1]), end: Number(match[2]), size: Number(match[3]), body };
    }
    return { start: 0, end: length - 1, size: length, body };
  }

  // ---- Closing -------------------------------------------------------------------------------

  /** Disconnects for good; pending sends fail with RELAY_UNREACHABLE. */
  async close(): Promise<void> {
    this.flushAcks(); // what is stored may as well be deleted on the relay
    this.stop({ code: 'RELAY_UNREACHABLE', message: 'The relay client was closed.' });
    await this.processing.catch(() => {});
  }
}
