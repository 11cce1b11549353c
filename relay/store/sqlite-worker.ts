/**
 * The SQLite store in a worker thread. better-sqlite3 is synchronous: a commit with
 * synchronous=FULL blocks its thread until the disk has the data. In a worker, that wait
 * overlaps with the relay's socket work instead of stalling it, which roughly doubles what the
 * relay carries and keeps its latency low. The main thread talks to it through
 * sqlite-worker-store.ts.
 *
 * The worker runs the relay's own entry script (so that a bundled relay needs no extra file);
 * that script calls `startIfSqliteWorker()` first and runs the relay only when it returns false.
 */
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import { isErrorCode, ParleyError } from '../../shared/errors';
import type { CommitGroup, MailboxLimits, RelayStore } from './relay-store';
import { openSqliteStore } from './sqlite-store';

export const SQLITE_WORKER_ROLE = 'parley-relay-sqlite-store';

export interface SqliteWorkerData {
  readonly role: typeof SQLITE_WORKER_ROLE;
  readonly path: string;
}

/** A commit group packed for the trip to the worker: the envelope bytes in one transferred buffer. */
export interface PackedGroup {
  readonly data: ArrayBuffer;
  /** Distinct recipient addresses, `userId.deviceId`. */
  readonly recipients: readonly string[];
  /** Per envelope: index into `recipients`, and byte length (envelopes lie in order in `data`). */
  readonly recipientOf: Int32Array;
  readonly lengths: Int32Array;
  /** Envelopes per batch, in order. */
  readonly batchSizes: Int32Array;
  readonly acks: CommitGroup['acks'];
}

export type PackedOutcome =
  | { readonly ok: true; readonly ids: readonly string[] }
  | {
      readonly ok: false;
      readonly code: string;
      readonly rejected: readonly { index: number; code: string }[];
    };

export interface WorkerRequest {
  readonly id: number;
  readonly method: string;
  readonly args: readonly unknown[];
}

export type WorkerReply =
  | { readonly id: number; readonly ok: true; readonly value: unknown }
  | { readonly id: number; readonly ok: false; readonly error: { code: string; message: string } };

export function unpackGroup(packed: PackedGroup): CommitGroup {
  const addresses = packed.recipients.map((key) => {
    const dot = key.lastIndexOf('.');
    return { userId: key.slice(0, dot), deviceId: Number(key.slice(dot + 1)) };
  });
  const batches: { envelopes: { to: (typeof addresses)[number]; bytes: Uint8Array }[] }[] = [];
  let offset = 0;
  let e = 0;
  for (const size of packed.batchSizes) {
    const envelopes = [];
    for (let i = 0; i < size; i++, e++) {
      const length = packed.lengths[e]!;
      envelopes.push({
        to: addresses[packed.recipientOf[e]!]!,
        bytes: new Uint8Array(packed.data, offset, length),
      });
      offset += length;
    }
    batches.push({ envelopes });
  }
  return { batches, acks: packed.acks };
}

async function dispatch(store: RelayStore, request: WorkerRequest): Promise<unknown> {
  if (request.method === 'commit') {
    const [packed, limits] = request.args as [PackedGroup, MailboxLimits];
    const result = await store.commit(unpackGroup(packed), limits);
    return {
      deleted: result.deleted,
      outcomes: result.outcomes.map(
        (o): PackedOutcome => (o.ok ? { ok: true, ids: o.stored.map((s) => s.id) } : o),
      ),
    };
  }
  const method = (store as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>)[
    request.method
  ];
  if (typeof method !== 'function') throw new ParleyError('INTERNAL', 'Unknown store method.');
  return method.apply(store, request.args as unknown[]);
}

/** In the store's worker thread: serves the store and returns true. Elsewhere: returns false. */
export function startIfSqliteWorker(): boolean {
  const data = workerData as Partial<SqliteWorkerData> | null;
  if (isMainThread || !parentPort || data?.role !== SQLITE_WORKER_ROLE || typeof data.path !== 'string')
    return false;
  const port = parentPort;
  let store: RelayStore;
  try {
    store = openSqliteStore(data.path);
  } catch (error) {
    port.postMessage({ ready: false, error: errorInfo(error) });
    return true;
  }
  port.on('message', (request: WorkerRequest) => {
    dispatch(store, request).then(
      (value) => port.postMessage({ id: request.id, ok: true, value } satisfies WorkerReply),
      (error: unknown) =>
        port.postMessage({ id: request.id, ok: false, error: errorInfo(error) } satisfies WorkerReply),
    );
  });
  port.postMessage({ ready: true });
  return true;
}

function errorInfo(error: unknown): { code: string; message: string } {
  if (error instanceof ParleyError && isErrorCode(error.code))
    return { code: error.code, message: error.message };
  return { code: 'INTERNAL', message: error instanceof Error ? error.message : String(error) };
}
