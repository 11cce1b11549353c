/**
 * A file inside a message bubble: its preview (images), type, name (cut in the middle), size,
 * and where it stands: a progress bar with Cancel while it moves, Download or "Save as…" when it
 * can be fetched or kept, and a problem in words (with its code) when it went wrong.
 */
import { useId } from 'react';
import type { AttachmentView, MessageView } from '../../../shared/ipc';
import { useParley } from '../app/ParleyContext';
import { FileIcon } from './FileIcon';
import { FileStateAction } from './FileStateAction';
import { fileKind, fileKindLabel } from './file-kind';
import { middleTruncate } from './file-name';
import { formatBytes } from './file-size';
import { fileProblem, fileStateWord } from './file-status';
import { isRunning, liveTransfer } from './live-transfer';
import { TransferProgress } from './TransferProgress';
import { useFileActions } from './useFileActions';
import './files.css';

const NAME_CHARS = 44;

export function FileAttachment({
  message,
  attachment,
}: {
  message: MessageView;
  attachment: AttachmentView;
}) {
  const progress = useParley((s) => s.transfers[message.id]);
  const actions = useFileActions(message.id);
  const nameId = useId();
  const live = liveTransfer(attachment, progress);
  const kind = fileKind(attachment.fileName, attachment.mimeType);
  const running = isRunning(live.state);
  const problem = fileProblem(live.state, live.error);
  const word = fileStateWord(live.state, message.outgoing);
  const shortName = middleTruncate(attachment.fileName, NAME_CHARS);
  const meta = [fileKindLabel(kind), formatBytes(attachment.size), word].filter(Boolean).join(' · ');

  return (
    <div className={`file-card${attachment.thumbnail ? ' has-preview' : ''}`}>
      {attachment.thumbnail && (
        <div className="file-card__frame">
          <img
            className="file-card__preview"
            src={attachment.thumbnail}
            alt={`Preview of ${attachment.fileName}`}
            draggable={false}
          />
        </div>
      )}
      <div className="file-card__main">
        {!attachment.thumbnail && <FileIcon kind={kind} />}
        <div className="file-card__info">
          <span className="file-card__name" id={nameId} title={attachment.fileName}>
            {shortName === attachment.fileName ? (
              attachment.fileName
            ) : (
              <>
                <span aria-hidden="true">{shortName}</span>
                <span className="sr-only">{attachment.fileName}</span>
              </>
            )}
          </span>
          <span className="file-card__meta">{meta}</span>
        </div>
      </div>
      {!running && (
        <FileStateAction
          state={live.state}
          outgoing={message.outgoing}
          actions={actions}
          describedBy={nameId}
        />
      )}
      {running && (
        <TransferProgress
          live={live}
          direction={message.outgoing ? 'upload' : 'download'}
          fileName={attachment.fileName}
          cancelling={actions.busy}
          onCancel={actions.cancel}
        />
      )}
      {problem && (
        <p className="file-card__problem">
          {problem.text}
          {problem.code && <span className="file-card__code">{problem.code}</span>}
        </p>
      )}
      {actions.error && (
        <p className="file-card__problem" role="alert">
          {actions.error.message}
          <span className="file-card__code">{actions.error.code}</span>
        </p>
      )}
      {actions.saved && (
        <p className="file-card__status" role="status">
          {actions.saved}
        </p>
      )}
    </div>
  );
}
