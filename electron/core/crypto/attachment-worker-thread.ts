/**
 * The main thread's side of the attachment worker (attachment-worker.ts): an AttachmentCrypto
 * whose streams hand their bytes to a worker thread in batches of about 1 MiB (copied once into
 * a buffer that is transferred, not cloned, and given back for reuse) and pass on what comes
 * back, in order. A few batches are in flight per stream, so reading, hashing, disk and network
 * work on this thread overlap the worker's encryption; beyond that the stream applies
 * backpressure. The worker starts with the first stream and stays (unreferenced: it never keeps
 * the process alive) until close().
 */
import { Transform, type TransformCallback } from 'node:stream';
import type { Worker } from 'node:worker_threads';
import { isErrorCode, ParleyError } from '../../../shared/errors';
import { spawnCoreWorker } from '../workers/spawn-core-worker';
import type { AttachmentCrypto } from './attachment-crypto';
import { ATTACHMENT_WORKER_ROLE, type WorkerReply, type WorkerRequest } from './attachment-worker';
import type { AttachmentKey } from './keys';

const BATCH_BYTES = 1024 * 1024;
/** Batches of one stream at the worker at once. */
const IN_FLIGHT = 3;
const SPARES = 8;

export class AttachmentWorkerThread implements AttachmentCrypto {
  private worker: Worker | null = null;
  private readonly streams = new Map<number, WorkerStream>();
  private nextStream = 1;
  /** Batch buffers the worker gave back, for the next batches (fresh memory is costly). */
  private readonly spares: Uint8Array[] = [];

  /** `script`: the core worker's (coreWorkerScript()). */
  constructor(private readonly script: string) {}

  sealing(key: AttachmentKey): Transform {
    return this.stream({ op: 'seal', key: Uint8Array.from(key) });
  }

  opening(key: AttachmentKey, plaintextSize: number): Transform {
    return this.stream({ op: 'open', key: Uint8Array.from(key), plaintextSize });
  }

  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = null;
    this.failAll(new ParleyError('UNAVAILABLE', 'File encryption stopped: Parley is closing.'));
    await worker?.terminate();
  }

  /** Sends a request of a stream (transferring `bytes`, whose buffer the stream gave up). */
  send(request: WorkerRequest): void {
    // A stream let go after its worker stopped has nothing left there to close.
    if (request.op === 'close' && !this.worker) return;
    const worker = this.started();
    if (request.op === 'data') worker.postMessage(request, [request.bytes.buffer as ArrayBuffer]);
    else
      worker.postMessage(
        request,
        request.op === 'close' || request.op === 'end' ? [] : [request.key.buffer as ArrayBuffer],
      );
  }

  forget(stream: number): void {
    this.streams.delete(stream);
  }

  /** An empty batch buffer of BATCH_BYTES. */
  batchBuffer(): Uint8Array {
    return this.spares.pop() ?? Buffer.allocUnsafeSlow(BATCH_BYTES);
  }

  private keepSpare(spare: Uint8Array | null): void {
    if (spare?.byteLength === BATCH_BYTES && this.spares.length < SPARES) this.spares.push(spare);
  }

  private stream(
    start:
      | { readonly op: 'seal'; readonly key: Uint8Array }
      | { readonly op: 'open'; readonly key: Uint8Array; readonly plaintextSize: number },
  ): Transform {
    const id = this.nextStream++;
    const stream = new WorkerStream(this, id);
    this.streams.set(id, stream);
    this.send({ ...start, stream: id });
    return stream;
  }

  private started(): Worker {
    if (this.worker) return this.worker;
    const worker = spawnCoreWorker(this.script, { role: ATTACHMENT_WORKER_ROLE });
    worker.unref();
    worker.on('message', (reply: WorkerReply) => {
      if ('spare' in reply) this.keepSpare(reply.spare);
      this.streams.get(reply.stream)?.answer(reply);
    });
    const stop = (error: Error) => {
      if (this.worker !== worker) return;
      this.worker = null;
      this.failAll(
        new ParleyError('INTERNAL', 'File encryption stopped unexpectedly. Try again.', { cause: error }),
      );
    };
    worker.on('error', stop);
    worker.on('exit', (code) => stop(new Error(`the attachment worker exited with ${code}`)));
    this.worker = worker;
    return worker;
  }

  private failAll(error: Error): void {
    for (const stream of [...this.streams.values()]) stream.destroy(error);
    this.streams.clear();
  }
}

class WorkerStream extends Transform {
  private batch: Uint8Array | null = null;
  private batched = 0;
  private inFlight = 0;
  /** The write waiting for room at the worker. */
  private waiting: TransformCallback | null = null;
  /** The end waiting for the last answers. */
  private ending: TransformCallback | null = null;
  /** The worker has let go of this stream (it ended, failed or was closed). */
  private released = false;

  constructor(
    private readonly thread: AttachmentWorkerThread,
    private readonly id: number,
  ) {
    super();
  }

  override _transform(
    chunk: Buffer | Uint8Array,
    _encoding: BufferEncoding,
    callback: TransformCallback,
  ): void {
    let offset = 0;
    while (offset < chunk.length) {
      this.batch ??= this.thread.batchBuffer();
      const take = Math.min(BATCH_BYTES - this.batched, chunk.length - offset);
      this.batch.set(chunk.subarray(offset, offset + take), this.batched);
      this.batched += take;
      offset += take;
      if (this.batched === BATCH_BYTES) this.sendBatch();
    }
    if (this.inFlight < IN_FLIGHT) callback();
    else this.waiting = callback;
  }

  override _flush(callback: TransformCallback): void {
    if (this.batched > 0) this.sendBatch();
    this.inFlight++;
    this.thread.send({ stream: this.id, op: 'end' });
    this.released = true;
    this.ending = callback;
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    if (!this.released) this.thread.send({ stream: this.id, op: 'close' });
    this.released = true;
    this.thread.forget(this.id);
    this.batch = null;
    callback(error);
  }

  /** The worker's answer to this stream's oldest request. */
  answer(reply: WorkerReply): void {
    if (this.destroyed) return;
    if ('error' in reply) {
      this.released = true; // the worker dropped the stream already
      const { code, message } = reply.error;
      this.destroy(isErrorCode(code) ? new ParleyError(code, message) : new ParleyError('INTERNAL', message));
      return;
    }
    this.inFlight--;
    if (reply.bytes.length > 0) this.push(reply.bytes);
    if (this.inFlight === 0 && this.ending) {
      const ending = this.ending;
      this.ending = null;
      this.thread.forget(this.id);
      ending();
      return;
    }
    if (this.waiting && this.inFlight < IN_FLIGHT) {
      const waiting = this.waiting;
      this.waiting = null;
      waiting();
    }
  }

  private sendBatch(): void {
    // A view of the whole buffer (a last, partial batch is shorter): the buffer comes back whole.
    const bytes = this.batch!.subarray(0, this.batched);
    this.batch = null;
    this.batched = 0;
    this.inFlight++;
    this.thread.send({ stream: this.id, op: 'data', bytes });
  }
}
