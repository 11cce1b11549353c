/**
 * The browser host's WebSocket bridge: the same contract as Electron's IPC, as JSON frames.
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
 * Largest frame the host accepts from a page: a file.chunk of 256 KiB is about 350 KB of base64
 * inside its JSON frame.
 */
export const HOST_MAX_FRAME_BYTES = 512 * 1024;
