/** What a transport (Electron IPC or the browser host) needs from the messenger core. */
import type { ApiHandlers } from './api/dispatcher';
import type { EventHub } from './api/event-hub';
import type { FilePolicy } from './files/file-policy';
import type { FileSaver } from './files/file-saver';
import type { FileTransferTuning } from './files/file-transfers';
import type { RelayConnector } from './messenger/relay-port';
import type { Clock, Keychain, PwhashLimits } from './store';

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
  /** Folder for this user's account, database, key file and settings. */
  readonly dataDir: string;
  /** Relay address suggested on first run (the embedded relay when none is configured). */
  readonly defaultRelayUrl: string;
  readonly appVersion: string;
  readonly logger: CoreLogger;
  /** How to reach relays (the socket.io RelayClient in the app). */
  readonly relays: RelayConnector;
  /** The OS keychain (Electron's safeStorage); absent in the browser host. */
  readonly keychain?: Keychain | null;
  readonly clock?: Clock;
  /** Argon2id limits for the passphrase; tests pass the minimum. */
  readonly pwhashLimits?: PwhashLimits;
  /**
   * The core worker's script (workers/core-worker-script.ts by default): files are encrypted and
   * decrypted, and passphrases stretched, on worker threads. null does both on the main thread.
   */
  readonly workerScript?: string | null;
  readonly files?: CoreFileOptions;
}

export interface CoreFileOptions {
  /** This device's file rules; what is left out keeps its default (file-policy.ts). */
  readonly policy?: Partial<FilePolicy>;
  /**
   * How files are saved: Electron's save dialog (dialogFileSaver), the browser host's one-time
   * links (downloadLinks().saver). Without one, file.save answers UNAVAILABLE.
   */
  readonly saver?: FileSaver | null;
  /** Segment size, retry delays and the like; tests and benchmarks tune them. */
  readonly tuning?: Partial<FileTransferTuning>;
}
