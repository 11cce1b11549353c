/** What a transport (Electron IPC or the browser host) needs from the messenger core. */
import type { ApiHandlers } from './api/dispatcher';
import type { EventHub } from './api/event-hub';

export interface CoreLogger {
  info(fields: Record<string, unknown>, message: string): void;
  warn(fields: Record<string, unknown>, message: string): void;
  error(fields: Record<string, unknown>, message: string): void;
}

export interface ParleyCore {
  readonly handlers: ApiHandlers;
  readonly events: EventHub;
  close(): Promise<void>;
}

export interface CoreOptions {
  /** Folder for this user's accounts, databases and key files. */
  readonly dataDir: string;
  /** Relay address suggested on first run (the embedded relay when none is configured). */
  readonly defaultRelayUrl: string;
  readonly appVersion: string;
  readonly logger: CoreLogger;
}
