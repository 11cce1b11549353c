/**
 * How an envelope frame (envelope-frame.ts) rides in a socket.io message. A small frame goes as
 * base64url text: one WebSocket message. A frame of BINARY_FRAME_MIN_BYTES or more goes as a
 * binary attachment: socket.io sends a short placeholder and the bytes as two WebSocket
 * messages, but neither end base64-encodes, JSON-escapes, UTF-8-checks and decodes kilobytes of
 * text. Senders choose by size; receivers accept either form.
 *
 * These checks look at the shape and size only, without decoding: the frame's decoder checks
 * every byte. They are written out rather than in zod because they run for every frame.
 */
import { base64urlLength } from './base64url';
import { ENVELOPE_ID_PATTERN } from './envelope-frame';
import { MAX_ACK_IDS, MAX_FRAME_BYTES } from './limits';

/** Frames at least this large travel as binary attachments, smaller ones as base64url text. */
export const BINARY_FRAME_MIN_BYTES = 4096;

/** A frame as it crosses the socket: base64url text, or bytes. */
export type FramePayload = string | Uint8Array;

const MAX_FRAME_TEXT = base64urlLength(MAX_FRAME_BYTES);

/**
 * Why `value` cannot be an envelope frame (a sentence naming `what`), or null when its type and
 * size are acceptable.
 */
export function framePayloadProblem(value: unknown, what: string): string | null {
  if (typeof value === 'string') {
    if (value.length === 0) return `${what} is empty.`;
    if (value.length > MAX_FRAME_TEXT) return `${what} is larger than ${MAX_FRAME_BYTES} bytes.`;
    return null;
  }
  if (value instanceof Uint8Array) {
    if (value.length === 0) return `${what} is empty.`;
    if (value.length > MAX_FRAME_BYTES) return `${what} is larger than ${MAX_FRAME_BYTES} bytes.`;
    return null;
  }
  return `${what} must be base64url text or bytes.`;
}

/**
 * The ids of an acknowledgement `{ ids: [...] }` (1 to MAX_ACK_IDS decimal ids, no other key),
 * or null when it is not one; the caller then asks the zod schema why, for the error message.
 */
export function readAckIds(value: unknown): string[] | null {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
  const ids = (value as { ids?: unknown }).ids;
  if (!Array.isArray(ids) || ids.length === 0 || ids.length > MAX_ACK_IDS) return null;
  if (Object.keys(value).length !== 1) return null;
  for (const id of ids) if (typeof id !== 'string' || !ENVELOPE_ID_PATTERN.test(id)) return null;
  return ids as string[];
}
