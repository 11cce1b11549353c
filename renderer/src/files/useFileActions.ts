/**
 * The actions of one file (download, save, cancel) with their busy state and last error, shared
 * by the file bubble and the "Files shared" list.
 */
import { useState } from 'react';
import type { ErrorInfo } from '../../../shared/errors';
import type { Result } from '../../../shared/result';
import { useActions } from '../app/ParleyContext';
import { startBrowserDownload } from './browser-download';

export interface FileActions {
  readonly busy: boolean;
  readonly error: ErrorInfo | null;
  /** What the last save did, in words ("Saved as report.pdf"), for a status line. */
  readonly saved: string | null;
  download(): void;
  save(): void;
  cancel(): void;
}

const LINK_REFUSED: ErrorInfo = {
  code: 'UNAVAILABLE',
  message: "Couldn't start the download in this window. Try again.",
};

export function useFileActions(messageId: string): FileActions {
  const actions = useActions();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ErrorInfo | null>(null);
  const [saved, setSaved] = useState<string | null>(null);

  async function run<T>(call: () => Promise<Result<T>>, then?: (value: T) => void): Promise<void> {
    setBusy(true);
    setError(null);
    setSaved(null);
    const result = await call();
    setBusy(false);
    if (!result.ok) setError(result.error);
    else then?.(result.value);
  }

  return {
    busy,
    error,
    saved,
    download: () => void run(() => actions.downloadFile(messageId)),
    cancel: () => void run(() => actions.cancelTransfer(messageId)),
    save: () =>
      void run(
        () => actions.saveFile(messageId),
        (outcome) => {
          if (outcome.outcome === 'saved')
            setSaved(outcome.fileName ? `Saved as ${outcome.fileName}` : 'Saved');
          else if (outcome.outcome === 'link' && (!outcome.url || !startBrowserDownload(outcome.url))) {
            setError(LINK_REFUSED);
          }
        },
      ),
  };
}
