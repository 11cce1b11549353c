/**
 * What a file bubble shows: the stored attachment (from messages) joined with the live figures
 * of its transfer (transfer.progress events). The stored state is the truth once it is final
 * (an event may be missing after a cancel); while it says a transfer runs, the live figures win.
 */
import type { ErrorInfo } from '../../../shared/errors';
import type { AttachmentView, FileTransferState, TransferProgressView } from '../../../shared/ipc';

export interface LiveTransfer {
  readonly state: FileTransferState;
  readonly bytesDone: number;
  readonly bytesTotal: number;
  readonly bytesPerSecond: number;
  readonly error: ErrorInfo | null;
}

/** States in which a transfer is under way and progress events describe it. */
const RUNNING: ReadonlySet<FileTransferState> = new Set(['staging', 'uploading', 'downloading', 'paused']);

export function isRunning(state: FileTransferState): boolean {
  return RUNNING.has(state);
}

export function liveTransfer(
  attachment: AttachmentView,
  progress: TransferProgressView | undefined,
): LiveTransfer {
  const stored: LiveTransfer = {
    state: attachment.state,
    bytesDone: attachment.bytesDone,
    bytesTotal: attachment.size,
    bytesPerSecond: 0,
    error: attachment.error,
  };
  if (!progress) return stored;
  // A download just asked for: the event says it started before the message catches up.
  const starting =
    attachment.state === 'available' && progress.direction === 'download' && isRunning(progress.state);
  if (!isRunning(attachment.state) && !starting) return stored;
  return {
    state: progress.state,
    bytesDone: progress.bytesDone,
    bytesTotal: progress.bytesTotal,
    bytesPerSecond: progress.bytesPerSecond,
    error: progress.error ?? stored.error,
  };
}
