/**
 * Sends what the outbox holds, in order, until the relay acknowledges it. The envelopes were
 * sealed and committed with their message, so a crash or restart loses nothing: whatever is
 * still here is sent again (recipients deduplicate by message id). Failed attempts back off
 * exponentially; going online retries at once.
 */
import { ParleyError } from '../../../shared/errors';
import type { CoreLogger } from '../core';
import type { Clock, OutboxEntry, Store } from '../store';
import type { RelayPort } from './relay-port';

const BATCH = 200;
const FIRST_RETRY_MS = 1_000;
const MAX_RETRY_MS = 5 * 60_000;

/** Errors after which an envelope can never be delivered: it is dropped and its message fails. */
const PERMANENT: ReadonlySet<string> = new Set([
  'RELAY_UNKNOWN_DEVICE',
  'PAYLOAD_TOO_LARGE',
  'WIRE_MALFORMED',
]);

export function retryDelay(attempts: number, jitter: number): number {
  const base = Math.min(MAX_RETRY_MS, FIRST_RETRY_MS * 2 ** Math.min(attempts, 20));
  return Math.round(base * (0.75 + 0.5 * jitter));
}

export interface OutboxPumpDeps {
  readonly store: Store;
  readonly relay: Pick<RelayPort, 'send'>;
  readonly clock: Clock;
  readonly logger: CoreLogger;
  /** Every copy of these messages reached the relay. */
  readonly onSent: (messageIds: readonly string[]) => void;
  /** These messages can never be delivered (a permanent refusal). */
  readonly onFailed: (messageIds: readonly string[]) => void;
}

export class OutboxPump {
  private online = false;
  private running: Promise<void> | null = null;
  private again = false;
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;

  constructor(private readonly deps: OutboxPumpDeps) {}

  setOnline(online: boolean): void {
    this.online = online;
    if (online) this.wake();
  }

  /** Something was queued, or the connection came back: send now. */
  wake(): void {
    if (this.stopped || !this.online) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.drain().finally(() => {
      this.running = null;
      if (this.again) {
        this.again = false;
        this.wake();
      }
    });
  }

  /** Resolves once the current attempt (if any) is over; no new attempt starts afterwards. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }

  /** Waits for the current attempt, for tests and orderly shutdown. */
  idle(): Promise<void> {
    return this.running ?? Promise.resolve();
  }

  private async drain(): Promise<void> {
    const { store, clock } = this.deps;
    while (this.online && !this.stopped && store.isOpen) {
      const due = store.outbox.due(clock(), BATCH);
      if (due.length === 0) break;
      const ok = await this.sendBatch(due);
      if (!ok) break;
    }
    this.schedule();
  }

  private async sendBatch(due: readonly OutboxEntry[]): Promise<boolean> {
    const { store, relay, clock, logger } = this.deps;
    try {
      await relay.send(due.map((e) => ({ to: e.recipient, bytes: e.envelope })));
    } catch (error) {
      const code = error instanceof ParleyError ? error.code : 'UNAVAILABLE';
      if (!store.isOpen) return false;
      if (PERMANENT.has(code) && due.length === 1) {
        logger.warn({ event: 'outbox.dropped', code }, 'relay refused an envelope for good');
        this.finish(due, 'failed');
        return true;
      }
      if (PERMANENT.has(code)) {
        // Find the envelope at fault by sending one at a time.
        for (const entry of due) await this.sendBatch([entry]);
        return true;
      }
      logger.warn({ event: 'outbox.retry', code, count: due.length }, 'sending failed; will retry');
      const now = clock();
      store.transaction(() => {
        for (const e of due) store.outbox.recordAttempt(e.id, now + retryDelay(e.attempts, Math.random()));
      });
      return false;
    }
    if (store.isOpen) this.finish(due, 'sent');
    return true;
  }

  private finish(entries: readonly OutboxEntry[], outcome: 'sent' | 'failed'): void {
    const { store } = this.deps;
    const done = store.transaction(() => {
      for (const e of entries) store.outbox.remove(e.id);
      const ids = [...new Set(entries.map((e) => e.messageId))];
      return outcome === 'failed' ? ids : ids.filter((id) => store.outbox.forMessage(id).length === 0);
    });
    if (done.length > 0) (outcome === 'sent' ? this.deps.onSent : this.deps.onFailed)(done);
  }

  private schedule(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const { store, clock } = this.deps;
    if (this.stopped || !store.isOpen) return;
    const next = store.outbox.nextAttemptAt();
    if (next === null) return;
    this.timer = setTimeout(() => this.wake(), Math.max(0, next - clock()));
    this.timer.unref?.();
  }
}
