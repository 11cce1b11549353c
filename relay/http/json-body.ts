/**
 * Reads a JSON request body, counting bytes as they arrive: the limit holds whatever the
 * Content-Length header claims, and reading stops as soon as it is passed.
 */
import type { IncomingMessage } from 'node:http';
import { ParleyError } from '../../shared/errors';

export async function readJsonBody(req: IncomingMessage, maxBytes: number): Promise<unknown> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBytes) throw tooLarge(maxBytes);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > maxBytes) throw tooLarge(maxBytes);
    chunks.push(chunk as Buffer);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw new ParleyError('WIRE_MALFORMED', 'The request body is not valid JSON.');
  }
}

function tooLarge(maxBytes: number): ParleyError {
  return new ParleyError('PAYLOAD_TOO_LARGE', `The request body is larger than ${maxBytes} bytes.`);
}
