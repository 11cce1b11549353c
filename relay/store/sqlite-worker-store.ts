/**
 * The main thread's side of the SQLite store in a worker thread (see sqlite-worker.ts): the same
 * RelayStore interface, each call a message to the worker. A commit group travels packed, its
 * envelope bytes copied once into one buffer that is transferred, not cloned.
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type { DeviceAddress } from '../../shared/address';
import { type ErrorCode, isErrorCode, ParleyError } from '../../shared/errors';
import type {
  BatchOutcome,
  CommitGroup,
  CommitResult,
  MailboxLimits,
  RelayStore,
  StoredEnvelope,
} from './relay-store';
import {
  type PackedGroup,
  type PackedOutcome,
  SQLITE_WORKER_ROLE,
  type SqliteWorkerData,
  type WorkerReply,
} from './sqlite-worker';

function spawn(script: string, data: SqliteWorkerData): Worker {
  if (script.endsWith('.ts')) {
    // Running from sources (tests, benchmarks, development): the worker loads them through tsx.
    const tsx = createRequire(script).resolve('tsx/cjs/api');
    // A script that only exports startIfSqliteWorker (sqlite-worker.ts itself) is started here.
    const code = [
      `require(${JSON.stringify(tsx)}).register();`,
      `const m = require(${JSON.stringify(script)});`,
      `if (typeof m.startIfSqliteWorker === 'function') m.startIfSqliteWorker();`,
    ].join('\n');
    return new Worker(code, { eval: true, workerData: data });
  }
  return new Worker(script, { workerData: data });
}

function toError(error: { code: string; message: string }): Error {
  return isErrorCode(error.code) ? new ParleyError(error.code, error.message) : new Error(error.message);
}

export function packGroup(group: CommitGroup): PackedGroup {
  const recipients: string[] = [];
  const index = new Map<string, number>();
  let count = 0;
  let total = 0;
  for (const batch of group.batches) {
    count += batch.envelopes.length;
    for (const e of batch.envelopes) total += e.bytes.length;
  }
  const data = new Uint8Array(total);
  const recipientOf = new Int32Array(count);
  const lengths = new Int32Array(count);
  const batchSizes = new Int32Array(group.batches.length);
  let offset = 0;
  let e = 0;
  // Envelopes to one device in a row usually share their address object: look it up once.
  let lastTo: DeviceAddress | null = null;
  let r = 0;
  group.batches.forEach((batch, b) => {
    batchSizes[b] = batch.envelopes.length;
    for (const envelope of batch.envelopes) {
      if (envelope.to !== lastTo) {
        lastTo = envelope.to;
        const key = `${envelope.to.userId}.${envelope.to.deviceId}`;
        const known = index.get(key);
        if (known === undefined) {
          r = recipients.push(key) - 1;
          index.set(key, r);
        } else r = known;
      }
      recipientOf[e] = r;
      lengths[e] = envelope.bytes.length;
      data.set(envelope.bytes, offset);
      offset += envelope.bytes.length;
      e++;
    }
  });
  return { data: data.buffer, recipients, recipientOf, lengths, batchSizes, acks: group.acks };
}

/** Opens the store at `path` in a worker running `script` (the relay's entry script). */
export async function openSqliteWorkerStore(path: string, script: string): Promise<RelayStore> {
  const worker = spawn(script, { role: SQLITE_WORKER_ROLE, path });
  const pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  let nextId = 0;
  let failure: Error | null = null;

  await new Promise<void>((resolve, reject) => {
    const onMessage = (message: { ready?: boolean; error?: { code: string; message: string } }) => {
      worker.off('error', onError);
      if (message.ready) resolve();
      else reject(toError(message.error ?? { code: 'INTERNAL', message: 'The store worker did not start.' }));
    };
    const onError = (error: Error) => {
      worker.off('message', onMessage);
      reject(error);
    };
    worker.once('message', onMessage);
    worker.once('error', onError);
  });

  const fail = (error: Error) => {
    failure ??= error;
    for (const p of pending.values()) p.reject(error);
    pending.clear();
  };
  worker.on('message', (reply: WorkerReply) => {
    const p = pending.get(reply.id);
    if (!p) return;
    pending.delete(reply.id);
    // Keep the process alive while a call is outstanding, and only then.
    if (pending.size === 0) worker.unref();
    if (reply.ok) p.resolve(reply.value);
    else p.reject(toError(reply.error));
  });
  worker.on('error', (error) =>
    fail(new ParleyError('UNAVAILABLE', `The relay's database stopped: ${error.message}`)),
  );
  worker.on('exit', () => fail(new ParleyError('UNAVAILABLE', "The relay's database is closed.")));
  worker.unref();

  function call<T>(method: string, args: unknown[], transfer: ArrayBuffer[] = []): Promise<T> {
    if (failure) return Promise.reject(failure);
    const id = nextId++;
    if (pending.size === 0) worker.ref();
    return new Promise<T>((resolve, reject) => {
      pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      worker.postMessage({ id, method, args }, transfer);
    });
  }

  const rpc =
    <K extends keyof RelayStore>(method: K) =>
    (...args: unknown[]) =>
      call(method, args);

  return {
    kind: 'sqlite',
    ping: rpc('ping'),
    createInvitation: rpc('createInvitation'),
    registerUser: rpc('registerUser'),
    addDevice: rpc('addDevice'),
    getUser: rpc('getUser'),
    getUserByUsername: rpc('getUserByUsername'),
    getDevice: rpc('getDevice'),
    listActiveDevices: rpc('listActiveDevices'),
    touchDevice: rpc('touchDevice'),
    revokeDevice: rpc('revokeDevice'),
    deactivateUser: rpc('deactivateUser'),
    searchDirectory: rpc('searchDirectory'),
    createSession: rpc('createSession'),
    findSession: rpc('findSession'),
    savePrekeys: rpc('savePrekeys'),
    prekeyCounts: rpc('prekeyCounts'),
    takeBundles: rpc('takeBundles'),
    pending: rpc('pending'),
    depth: rpc('depth'),
    totalDepth: rpc('totalDepth'),
    expireEnvelopes: rpc('expireEnvelopes'),
    createBlob: rpc('createBlob'),
    getBlob: rpc('getBlob'),
    markBlobComplete: rpc('markBlobComplete'),
    takeExpiredBlobs: rpc('takeExpiredBlobs'),
    expireCredentials: rpc('expireCredentials'),
    auditEvents: rpc('auditEvents'),
    lastAuditSeq: rpc('lastAuditSeq'),

    async commit(group: CommitGroup, limits: MailboxLimits): Promise<CommitResult> {
      const packed = packGroup(group);
      const result = await call<{ deleted: number; outcomes: PackedOutcome[] }>(
        'commit',
        [packed, limits],
        [packed.data],
      );
      const outcomes = result.outcomes.map((outcome, b): BatchOutcome => {
        if (!outcome.ok) {
          return {
            ok: false,
            code: outcome.code as ErrorCode,
            rejected: outcome.rejected.map((r) => ({ index: r.index, code: r.code as ErrorCode })),
          };
        }
        const envelopes = group.batches[b]!.envelopes;
        const stored = outcome.ids.map(
          (id, i): StoredEnvelope => ({
            id,
            to: envelopes[i]!.to as DeviceAddress,
            bytes: envelopes[i]!.bytes,
          }),
        );
        return { ok: true, stored };
      });
      return { deleted: result.deleted, outcomes };
    },

    async close() {
      if (!failure) await call('close', []).catch(() => {});
      await worker.terminate();
    },
  } as RelayStore;
}
