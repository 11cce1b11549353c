import type { ParleyBridge } from '../../shared/ipc';

declare global {
  interface Window {
    /** Defined before the bundle runs: by Electron's preload, or by the browser host's bridge script. */
    readonly parley: ParleyBridge;
  }
}
