/**
 * Blob uploads and downloads over node:http rather than fetch: a request body is written
 * straight from its async iterable and a response body is Node's own stream, which spares the
 * web-stream layers undici puts around each chunk (several CPU-seconds per GiB on loopback).
 * The answer is a standard Response, so the callers' checks and errors stay those of fetch.
 */
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { Readable } from 'node:stream';
import { unreachable } from './relay-client-errors';

export interface StreamingRequest {
  readonly method: 'GET' | 'PATCH';
  readonly headers: Record<string, string>;
  readonly body?: AsyncIterable<Uint8Array> | ReadableStream<Uint8Array>;
}

/** Sends the request; resolves with the relay's answer once its headers arrived. */
export async function nodeHttpFetch(url: string, init: StreamingRequest): Promise<Response> {
  return toResponse(await nodeHttpExchange(url, init));
}

/**
 * As nodeHttpFetch, but the answer is Node's own IncomingMessage: a download's body read as a
 * Node stream skips the web-stream adapter around every chunk.
 */
export function nodeHttpExchange(url: string, init: StreamingRequest): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const target = new URL(url);
    const request = target.protocol === 'https:' ? httpsRequest : httpRequest;
    const headers: Record<string, string> = { ...init.headers };
    if (init.body) headers['content-type'] = 'application/octet-stream';
    let answered = false;
    const fail = (error: unknown) => {
      if (answered) return;
      answered = true;
      req.destroy();
      reject(Object.assign(unreachable('Could not reach the relay.'), { cause: error }));
    };
    const req = request(target, { method: init.method, headers });
    req.on('error', fail);
    req.on('response', (res: IncomingMessage) => {
      if (answered) {
        res.destroy();
        return;
      }
      answered = true;
      resolve(res);
    });
    if (!init.body) {
      req.end();
      return;
    }
    void writeBody(req, init.body).catch(fail);
  });
}

async function writeBody(
  req: ReturnType<typeof httpRequest>,
  body: AsyncIterable<Uint8Array> | ReadableStream<Uint8Array>,
): Promise<void> {
  const source = body instanceof ReadableStream ? Readable.fromWeb(body as never) : body;
  for await (const chunk of source as AsyncIterable<Uint8Array>) {
    if (req.destroyed) return;
    if (!req.write(chunk)) await drainedOrClosed(req);
  }
  if (!req.destroyed) req.end();
}

/**
 * Resolves on 'drain', or on 'close' (an answer that comes early, an error, may end the
 * connection mid-body). Plain listeners: an AbortSignal per wait cost ~0.5 CPU-s per GiB.
 */
function drainedOrClosed(req: ReturnType<typeof httpRequest>): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      req.off('drain', done);
      req.off('close', done);
      resolve();
    };
    req.on('drain', done);
    req.on('close', done);
  });
}

/** The answer as a standard Response (its body a web stream). */
export function toResponse(res: IncomingMessage): Response {
  const headers = new Headers();
  for (const [name, value] of Object.entries(res.headers)) {
    if (value === undefined) continue;
    for (const one of Array.isArray(value) ? value : [value]) headers.append(name, one);
  }
  const status = res.statusCode ?? 0;
  const empty = status === 204 || status === 205 || status === 304;
  if (empty) res.resume();
  const body = empty ? null : (Readable.toWeb(res) as unknown as ReadableStream<Uint8Array>);
  return new Response(body, { status, statusText: res.statusMessage ?? '', headers });
}
