/**
 * The words for where a file stands (UI.md: plain and short), by state and side. Problems carry
 * the core's sentence; damaged gets the one sentence every person should read the same way.
 */
import type { ErrorInfo } from '../../../shared/errors';
import type { FileTransferState } from '../../../shared/ipc';

export const DAMAGED_TEXT = 'File damaged — it was changed on the way and was not kept';

export interface FileProblemText {
  readonly text: string;
  readonly code: string | null;
}

/** A problem to show under the file, or null when all is well. */
export function fileProblem(state: FileTransferState, error: ErrorInfo | null): FileProblemText | null {
  if (state === 'damaged') return { text: DAMAGED_TEXT, code: error?.code ?? 'FILE_DAMAGED' };
  if (!error) {
    if (state === 'unavailable')
      return { text: 'This file is no longer available.', code: 'FILE_UNAVAILABLE' };
    return null;
  }
  // A running or finished transfer keeps no error worth showing (the last try's, now fixed).
  if (state === 'uploaded' || state === 'downloaded' || state === 'uploading' || state === 'downloading') {
    return null;
  }
  return { text: error.message, code: error.code };
}

/** A short word for the meta line, where the state is not already shown by a bar or button. */
export function fileStateWord(state: FileTransferState, outgoing: boolean): string | null {
  switch (state) {
    case 'failed':
      return outgoing ? 'Not sent' : null;
    case 'blocked':
      return 'Blocked';
    case 'unavailable':
      return 'Unavailable';
    case 'damaged':
      return 'Damaged';
    default:
      return null;
  }
}
