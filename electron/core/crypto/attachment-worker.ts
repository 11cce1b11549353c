/**
 * The attachment worker thread: seals and opens attachment streams (AttachmentSealer,
 * AttachmentOpener) off the main thread, so a large file's encryption does not hold up the
 * messenger and the disk and network work of a transfer runs beside it on another core. The
 * core worker's script (workers/core-worker.ts) starts it; attachment-worker-thread.ts spawns
 * it. Each stream is a sequence of requests with one reply each, in order.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { toErrorInfo } from '../../../shared/errors';
import { type AttachmentEngine, openingEngine, sealingEngine } from './attachment-engine';
import type { ByteSink } from './byte-sink';
import { wipe } from './keys';
import { loadSodium, type Sodium } from './sodium';

export const ATTACHMENT_WORKER_ROLE = 'parley-attachment-worker';

export type WorkerRequest =
  /** Starts sealing under `key` (a copy; the worker wipes it). */
  | { readonly stream: number; readonly op: 'seal'; readonly key: Uint8Array }
  /** Starts opening a blob of a `plaintextSize`-byte file under `key`. */
  | { readonly stream: number; readonly op: 'open'; readonly key: Uint8Array; readonly plaintextSize: number }
  | { readonly stream: number; readonly op: 'data'; readonly bytes: Uint8Array }
  | { readonly stream: number; readonly op: 'end' }
  | { readonly stream: number; readonly op: 'close' };

/**
 * The answer to each 'data' and 'end': what came out, in one transferred buffer, with the
 * request's own buffer given back for reuse (`spare`, after 'data'); or why it failed.
 */
export type WorkerReply =
  | { readonly stream: number; readonly bytes: Uint8Array; readonly spare: Uint8Array | null }
  | { readonly stream: number; readonly error: { readonly code: string; readonly message: string } };

/** Runs the worker when this thread was started as one; false on any other thread. */
export function startIfAttachmentWorker(): boolean {
  const data = workerData as { role?: string } | null;
  if (!parentPort || data?.role !== ATTACHMENT_WORKER_ROLE) return false;
  const port = parentPort;
  const engines = new Map<number, AttachmentEngine>();
  const ready = loadSodium();
  let queue: Promise<unknown> = Promise.resolve();
  port.on('message', (request: WorkerRequest) => {
    // One at a time, in order; a request that throws answers for its stream, never stops the queue.
    queue = queue.then(async () => {
      try {
        handle(await ready, request);
      } catch (error) {
        engines.get(request.stream)?.destroy();
        engines.delete(request.stream);
        const { code, message } = toErrorInfo(error);
        reply({ stream: request.stream, error: { code, message } });
      }
    });
  });

  function handle(sodium: Sodium, request: WorkerRequest): void {
    const { stream } = request;
    if (request.op === 'seal' || request.op === 'open') {
      try {
        engines.set(
          stream,
          request.op === 'seal'
            ? sealingEngine(sodium, request.key)
            : openingEngine(sodium, request.key, request.plaintextSize),
        );
      } finally {
        wipe(sodium, request.key);
      }
      return;
    }
    const engine = engines.get(stream);
    if (request.op === 'close') {
      engine?.destroy();
      engines.delete(stream);
      return;
    }
    if (!engine) {
      reply({ stream, error: { code: 'INTERNAL', message: 'The file stream was already closed.' } });
      return;
    }
    const out = new ReplyBuffer(request.op === 'data' ? request.bytes.length : 0);
    try {
      if (request.op === 'data') engine.update(request.bytes, out.sink);
      else engine.finish(out.sink);
    } catch (error) {
      engine.destroy();
      engines.delete(stream);
      const { code, message } = toErrorInfo(error);
      reply({ stream, error: { code, message } });
      return;
    }
    if (request.op === 'end') {
      engine.destroy();
      engines.delete(stream);
    }
    const spare = request.op === 'data' ? new Uint8Array(request.bytes.buffer) : null;
    reply({ stream, bytes: out.bytes(), spare });
  }

  function reply(message: WorkerReply): void {
    if ('bytes' in message) {
      const moved = [message.bytes.buffer as ArrayBuffer];
      if (message.spare) moved.push(message.spare.buffer as ArrayBuffer);
      port.postMessage(message, moved);
    } else port.postMessage(message);
  }
  return true;
}

/**
 * What one request put out, gathered in one buffer of its own (transferable), in uninitialized
 * memory: zero-filling a fresh MiB per request cost this thread (the one that bounds a
 * transfer) a tenth of a second per GiB, and only the bytes written are handed on.
 */
class ReplyBuffer {
  private buffer: Uint8Array;
  private used = 0;

  /** Room for `input` bytes sealed: 17 bytes per 64 KiB frame, the header, and a frame held back. */
  constructor(input: number) {
    this.buffer = Buffer.allocUnsafeSlow(input + 17 * (Math.ceil(input / 65_536) + 2) + 25 + 65_536);
  }

  readonly sink: ByteSink = (bytes) => {
    if (this.used + bytes.length > this.buffer.length) {
      const larger = Buffer.allocUnsafeSlow(Math.max(this.buffer.length * 2, this.used + bytes.length));
      larger.set(this.buffer.subarray(0, this.used));
      this.buffer = larger;
    }
    this.buffer.set(bytes, this.used);
    this.used += bytes.length;
  };

  bytes(): Uint8Array {
    return this.buffer.subarray(0, this.used);
  }
}
