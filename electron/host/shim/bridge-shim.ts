/**
 * Runs in the page before the renderer: defines `window.parley` over the host's WebSocket, as
 * Electron's preload does over IPC, so the renderer cannot tell the two apart. The launch token
 * arrives in the URL fragment; it is moved to sessionStorage (this tab only) and removed from the
 * address bar so it is not bookmarked or shared by accident.
 */
import type { ErrorInfo } from '../../../shared/errors';
import {
  encodeBinaryInvoke,
  HOST_BRIDGE_PATH,
  HOST_TOKEN_PARAM,
  type HostToPageFrame,
  type InvokeFrame,
} from '../../../shared/host-protocol';
import { type ApiEvent, isApiEvent, type ParleyBridge, type ParleyEvents } from '../../../shared/ipc';
import type { Result } from '../../../shared/result';

const STORAGE_KEY = 'parley.hostToken';

function takeToken(): string {
  const fragment = new URLSearchParams(window.location.hash.slice(1));
  const fromUrl = fragment.get(HOST_TOKEN_PARAM);
  if (fromUrl) {
    sessionStorage.setItem(STORAGE_KEY, fromUrl);
    history.replaceState(null, '', window.location.pathname + window.location.search);
    return fromUrl;
  }
  return sessionStorage.getItem(STORAGE_KEY) ?? '';
}

const LOST: ErrorInfo = {
  code: 'UNAVAILABLE',
  message: 'Lost the connection to Parley. It reconnects by itself; try again in a moment.',
};

/** JSON text, or a binary frame where an argument is bytes (file.chunk's data). */
function encodeInvoke(frame: InvokeFrame): string | Uint8Array {
  const args = frame.args;
  if (typeof args === 'object' && args !== null) {
    for (const [name, value] of Object.entries(args)) {
      if (!(value instanceof Uint8Array)) continue;
      const { [name]: _bytes, ...rest } = args as Record<string, unknown>;
      return encodeBinaryInvoke({ ...frame, args: rest, binary: name }, value);
    }
  }
  return JSON.stringify(frame);
}

function createHostBridge(): ParleyBridge {
  const token = takeToken();
  const pending = new Map<number, (result: Result<unknown>) => void>();
  const listeners = new Map<ApiEvent, Set<(payload: unknown) => void>>();
  const queue: (string | Uint8Array)[] = [];
  let socket: WebSocket | null = null;
  let nextId = 1;
  let retryMs = 250;

  const connect = () => {
    const url = `ws://${window.location.host}${HOST_BRIDGE_PATH}?${HOST_TOKEN_PARAM}=${encodeURIComponent(token)}`;
    const ws = new WebSocket(url);
    socket = ws;
    ws.onopen = () => {
      retryMs = 250;
      for (const frame of queue.splice(0)) ws.send(frame);
    };
    ws.onmessage = (message) => {
      const frame = JSON.parse(String(message.data)) as HostToPageFrame;
      if (frame.type === 'result') {
        pending.get(frame.id)?.(frame.result);
        pending.delete(frame.id);
      } else if (frame.type === 'event' && isApiEvent(frame.event)) {
        for (const listener of listeners.get(frame.event) ?? []) listener(frame.payload);
      }
    };
    ws.onclose = () => {
      socket = null;
      for (const resolve of pending.values()) resolve({ ok: false, error: LOST });
      pending.clear();
      setTimeout(connect, retryMs);
      retryMs = Math.min(retryMs * 2, 5_000);
    };
  };
  connect();

  return Object.freeze({
    invoke(method, ...args) {
      const id = nextId++;
      const frame = encodeInvoke({ type: 'invoke', id, method, args: args[0] });
      return new Promise((resolve) => {
        pending.set(id, resolve as (result: Result<unknown>) => void);
        if (socket?.readyState === WebSocket.OPEN) socket.send(frame);
        else queue.push(frame);
      });
    },
    on<E extends ApiEvent>(event: E, listener: (payload: ParleyEvents[E]) => void) {
      const set = listeners.get(event) ?? new Set();
      listeners.set(event, set);
      const wrapped = listener as (payload: unknown) => void;
      set.add(wrapped);
      return () => set.delete(wrapped);
    },
  } satisfies ParleyBridge);
}

Object.defineProperty(window, 'parley', { value: createHostBridge(), writable: false, configurable: false });
