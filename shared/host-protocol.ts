/**
 * The browser host's WebSocket bridge: the same contract as Electron's IPC, as JSON frames (and
 * binary frames for calls that carry bytes: encodeBinaryInvoke below).
 * The page gets a per-launch token in its URL fragment (`#token=...`), removes it from the
 * address bar, and connects to `ws://<page host>/bridge?token=<token>`. The host refuses a
 * connection with a wrong token or a foreign Origin.
 */
import type { ApiEvent, ApiMethod, ParleyEvents } from './ipc';
import type { Result } from './result';

export const HOST_BRIDGE_PATH = '/bridge';
export const HOST_TOKEN_PARAM = 'token';

export interface InvokeFrame {
  readonly type: 'invoke';
  readonly id: number;
  readonly method: ApiMethod;
  readonly args?: unknown;
}

export interface ResultFrame {
  readonly type: 'result';
  readonly id: number;
  readonly result: Result<unknown>;
}

export interface EventFrame<E extends ApiEvent = ApiEvent> {
  readonly type: 'event';
  readonly event: E;
  readonly payload: ParleyEvents[E];
}

export type HostToPageFrame = ResultFrame | EventFrame;
export type PageToHostFrame = InvokeFrame;

/**
 * Largest frame the host accepts from a page: a binary frame with a file.chunk of 256 KiB.
 */
export const HOST_MAX_FRAME_BYTES = 512 * 1024;

/**
 * An invoke whose argument `binary` is bytes travels as one binary WebSocket frame: 4 bytes
 * (big-endian) giving the length of the JSON invoke frame that follows (ASCII: other characters
 * as \u escapes; without that argument), then the bytes themselves. Everything else is JSON text.
 */
export interface BinaryInvokeFrame extends InvokeFrame {
  readonly binary: string;
}

/** The binary frame of `frame` with `bytes` as its argument `frame.binary`. */
export function encodeBinaryInvoke(frame: BinaryInvokeFrame, bytes: Uint8Array): Uint8Array {
  const json = asciiBytes(JSON.stringify(frame));
  const out = new Uint8Array(4 + json.length + bytes.length);
  new DataView(out.buffer).setUint32(0, json.length);
  out.set(json, 4);
  out.set(bytes, 4 + json.length);
  return out;
}

/** The invoke frame of a binary frame, its argument filled with a view of the bytes; null if malformed. */
export function decodeBinaryInvoke(data: Uint8Array): InvokeFrame | null {
  if (data.length < 4) return null;
  const length = new DataView(data.buffer, data.byteOffset, data.byteLength).getUint32(0);
  if (length > data.length - 4) return null;
  let frame: unknown;
  try {
    frame = JSON.parse(asciiText(data.subarray(4, 4 + length)));
  } catch {
    return null;
  }
  const f = frame as Partial<BinaryInvokeFrame> | null;
  if (typeof f !== 'object' || f === null || typeof f.binary !== 'string') return null;
  const args = f.args === undefined ? {} : f.args;
  if (typeof args !== 'object' || args === null || Array.isArray(args)) return null;
  const { binary, ...rest } = f as BinaryInvokeFrame;
  return { ...rest, args: { ...(args as object), [binary]: data.subarray(4 + length) } };
}

/** JSON text as ASCII bytes, every other character escaped (JSON's \uXXXX means the same). */
function asciiBytes(json: string): Uint8Array {
  const ascii = json.replace(
    /[\u0080-\uffff]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
  const bytes = new Uint8Array(ascii.length);
  for (let i = 0; i < ascii.length; i++) bytes[i] = ascii.charCodeAt(i);
  return bytes;
}

/** ASCII bytes as text; throws on any other byte. */
function asciiText(bytes: Uint8Array): string {
  let text = '';
  for (const byte of bytes) {
    if (byte > 0x7f) throw new Error('not ASCII');
    text += String.fromCharCode(byte);
  }
  return text;
}
