/** The one button a file offers in its state: Download, Download again, or "Save as…". */
import type { FileTransferState } from '../../../shared/ipc';
import { Icon } from '../design/Icon';
import type { FileActions } from './useFileActions';

export function FileStateAction({
  state,
  outgoing,
  actions,
  describedBy,
}: {
  state: FileTransferState;
  outgoing: boolean;
  actions: FileActions;
  /** The element holding the file's name, so the button says which file it acts on. */
  describedBy: string;
}) {
  if (!outgoing && state === 'available') {
    return (
      <button
        type="button"
        className="file-action"
        disabled={actions.busy}
        aria-describedby={describedBy}
        onClick={actions.download}
      >
        <Icon name="download" size={16} />
        Download
      </button>
    );
  }
  if (!outgoing && state === 'downloaded') {
    return (
      <button
        type="button"
        className="file-action"
        disabled={actions.busy}
        aria-describedby={describedBy}
        onClick={actions.save}
      >
        <Icon name="download" size={16} />
        Save as…
      </button>
    );
  }
  return null;
}
