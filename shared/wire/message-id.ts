/**
 * Message ids: 128 random bits per logical message (DESIGN.md, Protocol), shared by the copies
 * sent to each of the recipient's devices. Receipts name them; stores deduplicate by them.
 */
import { ParleyError } from '../errors';

export const MESSAGE_ID_BYTES = 16;

const HEX = /^[0-9a-f]{32}$/;

export function isMessageId(value: unknown): value is Uint8Array {
  return value instanceof Uint8Array && value.length === MESSAGE_ID_BYTES;
}

/** Lower-case hex, the form stores and views use. */
export function messageIdToString(id: Uint8Array): string {
  if (!isMessageId(id)) throw new ParleyError('INVALID_ARGUMENT', 'A message id must be 16 bytes.');
  let out = '';
  for (const byte of id) out += byte.toString(16).padStart(2, '0');
  return out;
}

export function messageIdFromString(text: string): Uint8Array {
  if (!HEX.test(text)) {
    throw new ParleyError('INVALID_ARGUMENT', 'That is not a message id (32 lower-case hex digits).');
  }
  const id = new Uint8Array(MESSAGE_ID_BYTES);
  for (let i = 0; i < MESSAGE_ID_BYTES; i++) id[i] = Number.parseInt(text.slice(i * 2, i * 2 + 2), 16);
  return id;
}
