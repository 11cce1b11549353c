/**
 * Delivery to one connected device. The store is the truth; what a commit pushes live is a
 * shortcut. The session starts by draining the mailbox in id order (redelivery on reconnect),
 * then goes live: envelopes committed for the device are sent as they commit. A window bounds
 * what is sent and not yet acknowledged (count and bytes); when it is full, or when news comes
 * from another node, the session drains from the store again. Nothing is lost: anything not
 * acknowledged stays in the store and is sent again on the next connection (at-least-once;
 * clients deduplicate by message id).
 */
import type { DeviceAddress } from '../../shared/address';
import {
  DELIVERY_FRAME_HEADER_BYTES,
  deliveryItemBytes,
  encodeDeliveryFrame,
} from '../../shared/relay-protocol/envelope-frame';
import { MAX_FRAME_BYTES } from '../../shared/relay-protocol/limits';
import type { Logger } from '../logger';
import type { RelayMetrics } from '../metrics/relay-metrics';
import type { RelayStore, StoredEnvelope } from '../store/relay-store';
import type { AckOwner } from './group-committer';

export interface DeliveryWindow {
  /** Envelopes sent and not yet acknowledged. */
  readonly count: number;
  readonly bytes: number;
}

export interface DeliverySessionDeps {
  readonly store: RelayStore;
  readonly window: DeliveryWindow;
  /** Sends one delivery frame to the device. */
  readonly send: (frame: Uint8Array) => void;
  readonly now: () => number;
  readonly logger: Logger;
  readonly metrics: RelayMetrics;
}

/** Rows read from the store per drain step at most. */
const PAGE = 500;

export class DeliverySession implements AckOwner {
  private readonly inflight = new Map<string, number>();
  private inflightBytes = 0;
  /** Acknowledged ids whose deletion is not committed yet: a drain must not send them again. */
  private readonly ackedPending = new Set<string>();
  private live = false;
  private draining = false;
  private newsWhileDraining = false;
  private closed = false;

  constructor(
    readonly address: DeviceAddress,
    private readonly deps: DeliverySessionDeps,
  ) {}

  start(): void {
    void this.drain();
  }

  close(): void {
    this.closed = true;
  }

  /** Envelopes this node just committed for the device. */
  push(envelopes: readonly StoredEnvelope[]): void {
    if (this.closed) return;
    if (this.live && this.fits(envelopes)) {
      this.send(envelopes);
      return;
    }
    // They are in the store: the drain picks them up, in order.
    this.poke();
  }

  /** Something was committed for the device elsewhere (another node): read the store. */
  poke(): void {
    if (this.closed) return;
    this.live = false;
    if (this.draining) this.newsWhileDraining = true;
    else void this.drain();
  }

  /** The device acknowledged these ids; returns them for the group commit to delete. */
  acknowledged(ids: readonly string[]): void {
    let freed = false;
    for (const id of ids) {
      const size = this.inflight.get(id);
      if (size !== undefined) {
        this.inflight.delete(id);
        this.inflightBytes -= size;
        freed = true;
      }
      this.ackedPending.add(id);
    }
    if (freed && !this.live && !this.draining && !this.closed) void this.drain();
  }

  acksCommitted(ids: readonly string[], ok: boolean): void {
    for (const id of ids) this.ackedPending.delete(id);
    // A failed deletion leaves the envelopes in the store: send them again.
    if (!ok) this.poke();
  }

  private fits(envelopes: readonly StoredEnvelope[]): boolean {
    let bytes = 0;
    for (const e of envelopes) bytes += e.bytes.length;
    return (
      this.inflight.size + envelopes.length <= this.deps.window.count &&
      this.inflightBytes + bytes <= this.deps.window.bytes
    );
  }

  private async drain(): Promise<void> {
    this.draining = true;
    try {
      for (;;) {
        if (this.closed) return;
        this.newsWhileDraining = false;
        const room = this.deps.window.count - this.inflight.size;
        if (room <= 0 || this.inflightBytes >= this.deps.window.bytes) return; // an ack resumes the drain
        const skip = this.inflight.size + this.ackedPending.size;
        const limit = Math.min(room, PAGE) + skip;
        const page = await this.deps.store.pending(this.address, null, limit, this.deps.now());
        if (this.closed) return;
        const fresh = page.filter((e) => !this.inflight.has(e.id) && !this.ackedPending.has(e.id));
        const sending: StoredEnvelope[] = [];
        let bytes = this.inflightBytes;
        for (const e of fresh) {
          if (this.inflight.size + sending.length >= this.deps.window.count) break;
          // Always send at least one envelope when nothing is in flight, however large.
          if (bytes + e.bytes.length > this.deps.window.bytes && this.inflight.size + sending.length > 0)
            break;
          sending.push(e);
          bytes += e.bytes.length;
        }
        if (sending.length > 0) this.send(sending);
        const caughtUp = page.length < limit && sending.length === fresh.length;
        if (caughtUp && !this.newsWhileDraining) {
          this.live = true;
          return;
        }
        if (sending.length === 0 && !this.newsWhileDraining) return; // window full: an ack resumes
      }
    } catch (error) {
      this.deps.logger.error(
        { event: 'relay.drain_failed', err: error },
        'could not read a mailbox; delivery resumes on the next commit or connection',
      );
    } finally {
      this.draining = false;
    }
  }

  /** Sends envelopes in as few frames as MAX_FRAME_BYTES allows (stored envelopes are frame items). */
  private send(envelopes: readonly StoredEnvelope[]): void {
    if (envelopes.length === 0) return;
    let start = 0;
    let size = DELIVERY_FRAME_HEADER_BYTES;
    for (let i = 0; i < envelopes.length; i++) {
      const e = envelopes[i]!;
      const itemBytes = deliveryItemBytes(e.id, e.bytes.length);
      if (size + itemBytes > MAX_FRAME_BYTES && i > start) {
        this.deps.send(encodeDeliveryFrame(envelopes.slice(start, i)));
        start = i;
        size = DELIVERY_FRAME_HEADER_BYTES;
      }
      size += itemBytes;
      this.inflight.set(e.id, e.bytes.length);
      this.inflightBytes += e.bytes.length;
    }
    this.deps.send(encodeDeliveryFrame(start === 0 ? envelopes : envelopes.slice(start)));
    this.deps.metrics.envelopesOut += envelopes.length;
  }
}
