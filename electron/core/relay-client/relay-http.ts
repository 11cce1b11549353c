/**
 * The relay's HTTP routes from the client side (fetch): registration and attachment blobs.
 * Answers are validated with the shared schemas; errors become ParleyErrors with the relay's code.
 */
import type { z } from 'zod';
import { ParleyError } from '../../../shared/errors';
import { httpErrorSchema } from '../../../shared/relay-protocol/schemas';
import { malformedAnswer, unreachable } from './relay-client-errors';

export interface HttpRequest {
  readonly method: 'GET' | 'POST' | 'PATCH' | 'HEAD' | 'DELETE';
  readonly headers?: Record<string, string>;
  readonly json?: unknown;
  readonly body?: ReadableStream<Uint8Array>;
}

export async function relayFetch(
  url: string,
  request: HttpRequest,
  fetchImpl: typeof fetch,
): Promise<Response> {
  const headers: Record<string, string> = { ...request.headers };
  let body: RequestInit['body'];
  if (request.json !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(request.json);
  } else if (request.body) {
    headers['content-type'] = 'application/octet-stream';
    body = request.body;
  }
  try {
    return await fetchImpl(url, {
      method: request.method,
      headers,
      body,
      // Node's fetch streams a request body only in half-duplex mode.
      ...(request.body ? { duplex: 'half' } : {}),
    } as RequestInit);
  } catch (error) {
    throw Object.assign(unreachable('Could not reach the relay.'), { cause: error });
  }
}

/** Throws the relay's error for a non-2xx answer. */
export async function throwIfFailed(response: Response): Promise<void> {
  if (response.ok) return;
  let body: unknown = null;
  try {
    body = await response.json();
  } catch {
    // not JSON: fall through
  }
  const parsed = httpErrorSchema.safeParse(body);
  if (parsed.success) throw new ParleyError(parsed.data.error.code, parsed.data.error.message);
  throw new ParleyError(
    response.status === 503 ? 'UNAVAILABLE' : 'INTERNAL',
    `The relay answered with HTTP status ${response.status}.`,
  );
}

export async function readJson<S extends z.ZodType>(
  response: Response,
  schema: S,
  what: string,
): Promise<z.output<S>> {
  await throwIfFailed(response);
  let body: unknown;
  try {
    body = await response.json();
  } catch {
    throw malformedAnswer(what);
  }
  const parsed = schema.safeParse(body);
  if (!parsed.success) throw malformedAnswer(what);
  return parsed.data;
}
