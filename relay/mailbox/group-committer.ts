/**
 * Group commit: envelopes and acks that arrive while the previous transaction runs (or within
 * `windowMs`) are written together in one transaction, then all their senders are acked. With
 * SQLite's synchronous=FULL each transaction costs an fsync; sharing it among many batches is
 * what lets durable mailboxes keep up with a bare relay.
 *
 * A sender is acked only after the transaction that holds its whole batch has committed; a
 * failed transaction fails its batches (the senders retry) and drops its acks (the envelopes
 * are redelivered and acked again).
 */
import type { DeviceAddress } from '../../shared/address';
import type { Logger } from '../logger';
import type { RelayMetrics } from '../metrics/relay-metrics';
import type {
  BatchOutcome,
  EnvelopeBatch,
  MailboxLimits,
  RelayStore,
  StoredEnvelope,
} from '../store/relay-store';

/** Who is told when a batch is committed; told once per group, to ack all its batches at once. */
export interface BatchOwner {
  batchCommitted(seq: number, outcome: BatchOutcome): void;
  flushCommitted(): void;
}

/** Who is told when acks are committed (ok) or dropped with a failed transaction (not ok). */
export interface AckOwner {
  acksCommitted(ids: readonly string[], ok: boolean): void;
}

export interface GroupCommitterOptions {
  readonly store: RelayStore;
  readonly windowMs: number;
  /** Envelopes in one transaction at most (a group never splits a batch). */
  readonly maxGroupEnvelopes: number;
  readonly limits: () => MailboxLimits;
  /** Called with every envelope a group stored, after it committed (for live delivery). */
  readonly onStored: (stored: readonly StoredEnvelope[]) => void;
  readonly logger: Logger;
  readonly metrics: RelayMetrics;
}

interface QueuedBatch {
  readonly owner: BatchOwner;
  readonly seq: number;
  readonly batch: EnvelopeBatch;
  readonly bytes: number;
}

interface QueuedAck {
  readonly owner: AckOwner | null;
  readonly device: DeviceAddress;
  readonly ids: readonly string[];
}

export class GroupCommitter {
  private batches: QueuedBatch[] = [];
  private acks: QueuedAck[] = [];
  private scheduled = false;
  private running: Promise<unknown> | null = null;
  private queuedBytesTotal = 0;
  private readonly idle: (() => void)[] = [];

  constructor(private readonly options: GroupCommitterOptions) {}

  /** Bytes of envelopes waiting for a transaction (the relay refuses new batches above a bound). */
  get queuedBytes(): number {
    return this.queuedBytesTotal;
  }

  submitBatch(owner: BatchOwner, seq: number, batch: EnvelopeBatch): void {
    let bytes = 0;
    for (const e of batch.envelopes) bytes += e.bytes.length;
    this.batches.push({ owner, seq, batch, bytes });
    this.queuedBytesTotal += bytes;
    this.schedule();
  }

  submitAck(device: DeviceAddress, ids: readonly string[], owner: AckOwner | null): void {
    this.acks.push({ owner, device, ids });
    this.schedule();
  }

  /** Resolves once everything submitted so far is committed and its owners were told. */
  drain(): Promise<void> {
    if (!this.running && !this.scheduled && this.batches.length === 0 && this.acks.length === 0) {
      return Promise.resolve();
    }
    return new Promise((resolve) => this.idle.push(resolve));
  }

  private get hasQueued(): boolean {
    return this.batches.length > 0 || this.acks.length > 0;
  }

  private schedule(): void {
    if (this.scheduled || this.running) return;
    this.scheduled = true;
    const run = () => {
      this.scheduled = false;
      this.startGroup();
    };
    // setImmediate runs after the I/O callbacks of this turn: everything read in it joins the group.
    if (this.options.windowMs > 0) setTimeout(run, this.options.windowMs);
    else setImmediate(run);
  }

  /**
   * Sends the queued group to the store. When it has committed, the group queued meanwhile goes
   * to the store first, and only then are this group's senders acked and its envelopes
   * delivered: the store's next commit (its fsync) overlaps with that socket work instead of
   * waiting for it.
   */
  private startGroup(): void {
    const group = this.takeGroup();
    if (group.batches.length === 0 && group.acks.length === 0) {
      this.settle();
      return;
    }
    const committing = this.commitGroup(group.batches, group.acks);
    this.running = committing;
    committing
      .then(
        (finish) => {
          this.running = null;
          if (this.hasQueued) {
            if (this.options.windowMs > 0) this.schedule();
            else this.startGroup();
          }
          finish();
        },
        (error: unknown) => {
          this.running = null;
          throw error;
        },
      )
      .catch((error: unknown) => {
        this.options.logger.error({ event: 'relay.commit_callback_failed', err: error }, 'after a commit');
      })
      .finally(() => this.settle());
  }

  /** Tells drain() waiters when nothing is queued, scheduled or committing. */
  private settle(): void {
    if (this.running || this.scheduled) return;
    if (this.hasQueued) this.schedule();
    else for (const resolve of this.idle.splice(0)) resolve();
  }

  private takeGroup(): { batches: QueuedBatch[]; acks: QueuedAck[] } {
    let envelopes = 0;
    let taken = 0;
    while (taken < this.batches.length) {
      const size = this.batches[taken]!.batch.envelopes.length;
      if (taken > 0 && envelopes + size > this.options.maxGroupEnvelopes) break;
      envelopes += size;
      taken++;
    }
    const batches = this.batches.splice(0, taken);
    const acks = this.acks.splice(0);
    for (const b of batches) this.queuedBytesTotal -= b.bytes;
    return { batches, acks };
  }

  /**
   * Commits one group; resolves, once the store has answered, with what tells its owners (the
   * caller runs it after handing the next group to the store).
   */
  private async commitGroup(batches: QueuedBatch[], acks: QueuedAck[]): Promise<() => void> {
    const { store, metrics, logger } = this.options;
    let outcomes: readonly BatchOutcome[];
    try {
      const result = await store.commit(
        { batches: batches.map((b) => b.batch), acks: acks.map((a) => ({ device: a.device, ids: a.ids })) },
        this.options.limits(),
      );
      outcomes = result.outcomes;
      metrics.groupCommits++;
      metrics.envelopesAcked += result.deleted;
    } catch (error) {
      logger.error(
        { event: 'relay.commit_failed', batches: batches.length, acks: acks.length, err: error },
        'a mailbox transaction failed; its senders will retry',
      );
      const unavailable: BatchOutcome = {
        ok: false,
        code: 'UNAVAILABLE',
        rejected: [],
      };
      return () => {
        this.tell(
          batches,
          batches.map(() => unavailable),
        );
        for (const ack of acks) ack.owner?.acksCommitted(ack.ids, false);
      };
    }
    return () => {
      const stored: StoredEnvelope[] = [];
      for (const outcome of outcomes) if (outcome.ok) for (const e of outcome.stored) stored.push(e);
      metrics.envelopesIn += stored.length;
      if (stored.length > 0) this.options.onStored(stored);
      this.tell(batches, outcomes);
      for (const ack of acks) ack.owner?.acksCommitted(ack.ids, true);
    };
  }

  private tell(batches: readonly QueuedBatch[], outcomes: readonly BatchOutcome[]): void {
    const owners = new Set<BatchOwner>();
    batches.forEach((b, i) => {
      b.owner.batchCommitted(b.seq, outcomes[i]!);
      owners.add(b.owner);
    });
    for (const owner of owners) owner.flushCommitted();
  }
}
