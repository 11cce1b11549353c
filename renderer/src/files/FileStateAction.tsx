/**
 * What a file offers in its state: Download (and "Save as…" straight away where the app can
 * download and decrypt into the chosen place in one go), or "Save as…" once downloaded.
 */
import type { FileTransferState } from '../../../shared/ipc';
import { useParley } from '../app/ParleyContext';
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
  const saveWhileDownloading = useParley((s) => s.fileRules?.saveWhileDownloading ?? false);
  const button = (label: string, onClick: () => void, icon: boolean) => (
    <button
      type="button"
      className="file-action"
      disabled={actions.busy}
      aria-describedby={describedBy}
      onClick={onClick}
    >
      {icon && <Icon name="download" size={16} />}
      {label}
    </button>
  );
  if (!outgoing && state === 'available') {
    return (
      <>
        {button('Download', actions.download, true)}
        {saveWhileDownloading && button('Save as…', actions.save, false)}
      </>
    );
  }
  if (!outgoing && state === 'downloaded') return button('Save as…', actions.save, true);
  return null;
}
