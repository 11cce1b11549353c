/** Connects the core to the window over Electron IPC: invokes in, events out. */
import { type BrowserWindow, ipcMain } from 'electron';
import { IPC_EVENT_CHANNEL, IPC_INVOKE_CHANNEL } from '../../shared/ipc';
import { fail } from '../../shared/result';
import type { Dispatch } from '../core/api/dispatcher';
import type { EventHub } from '../core/api/event-hub';
import { APP_ORIGIN } from './app-protocol';

export function bridgeIpc(dispatch: Dispatch, events: EventHub, window: BrowserWindow): () => void {
  ipcMain.handle(IPC_INVOKE_CHANNEL, (event, method: unknown, args: unknown) => {
    // Only our own page may call the core, never a frame from elsewhere.
    if (!event.senderFrame?.url.startsWith(`${APP_ORIGIN}/`)) {
      return fail({ code: 'FORBIDDEN', message: 'This page may not use Parley.' });
    }
    return dispatch(method, args);
  });
  const unsubscribe = events.subscribe((event, payload) => {
    if (!window.isDestroyed()) window.webContents.send(IPC_EVENT_CHANNEL, event, payload);
  });
  return () => {
    unsubscribe();
    ipcMain.removeHandler(IPC_INVOKE_CHANNEL);
  };
}
