/**
 * Exposes `window.parley` to the sandboxed renderer through contextBridge, built from the
 * contract in shared/ipc.ts. Only known method and event names pass; the main process validates
 * every argument again.
 */
import { contextBridge, type IpcRendererEvent, ipcRenderer } from 'electron';
import {
  type ApiEvent,
  IPC_EVENT_CHANNEL,
  IPC_INVOKE_CHANNEL,
  isApiEvent,
  isApiMethod,
  type ParleyBridge,
  type ParleyEvents,
} from '../shared/ipc';
import { fail } from '../shared/result';

const bridge: ParleyBridge = {
  invoke(method, ...args) {
    if (!isApiMethod(method)) {
      return Promise.resolve(
        fail({
          code: 'IPC_UNKNOWN_METHOD',
          message: 'The app asked for something this version does not know.',
        }),
      );
    }
    return ipcRenderer.invoke(IPC_INVOKE_CHANNEL, method, args[0]);
  },
  on<E extends ApiEvent>(event: E, listener: (payload: ParleyEvents[E]) => void) {
    if (!isApiEvent(event)) return () => {};
    const handler = (_e: IpcRendererEvent, name: unknown, payload: unknown) => {
      if (name === event) listener(payload as ParleyEvents[E]);
    };
    ipcRenderer.on(IPC_EVENT_CHANNEL, handler);
    return () => {
      ipcRenderer.removeListener(IPC_EVENT_CHANNEL, handler);
    };
  },
};

contextBridge.exposeInMainWorld('parley', bridge);
