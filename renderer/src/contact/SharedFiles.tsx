/**
 * "Files shared": the files of this conversation that are loaded (newest first), each with the
 * action its state allows, so a file is found again without scrolling the chat.
 */
import { useId } from 'react';
import type { AttachmentView, MessageView } from '../../../shared/ipc';
import { useParley } from '../app/ParleyContext';
import { FileIcon } from '../files/FileIcon';
import { FileStateAction } from '../files/FileStateAction';
import { fileKind } from '../files/file-kind';
import { middleTruncate } from '../files/file-name';
import { formatBytes } from '../files/file-size';
import { fileStateWord } from '../files/file-status';
import { isRunning, liveTransfer } from '../files/live-transfer';
import { useFileActions } from '../files/useFileActions';
import { formatFullTime } from '../time/format-time';

export function SharedFiles({ conversationId, peerName }: { conversationId: string; peerName: string }) {
  const messages = useParley((s) => s.timelines[conversationId]?.messages);
  const files = (messages ?? []).filter((m) => m.attachment).reverse();
  return (
    <section className="shared-files" aria-labelledby="shared-files-title">
      <h3 className="shared-files__title" id="shared-files-title">
        Files shared
      </h3>
      {files.length === 0 ? (
        <p className="shared-files__empty">Files you and {peerName} send each other show here.</p>
      ) : (
        <ul className="shared-files__list">
          {files.map((message) => (
            <SharedFile
              key={message.id}
              message={message}
              attachment={message.attachment!}
              peerName={peerName}
            />
          ))}
        </ul>
      )}
    </section>
  );
}

function SharedFile({
  message,
  attachment,
  peerName,
}: {
  message: MessageView;
  attachment: AttachmentView;
  peerName: string;
}) {
  const progress = useParley((s) => s.transfers[message.id]);
  const actions = useFileActions(message.id);
  const nameId = useId();
  const live = liveTransfer(attachment, progress);
  const word = isRunning(live.state)
    ? message.outgoing
      ? 'Sending'
      : 'Downloading'
    : fileStateWord(live.state, message.outgoing);
  const meta = [message.outgoing ? 'You' : peerName, formatBytes(attachment.size), word]
    .filter(Boolean)
    .join(' · ');
  return (
    <li className="shared-file">
      <FileIcon kind={fileKind(attachment.fileName, attachment.mimeType)} size={32} />
      <div className="shared-file__info">
        <span className="shared-file__name" id={nameId} title={attachment.fileName}>
          {middleTruncate(attachment.fileName, 32)}
        </span>
        <span className="shared-file__meta" title={formatFullTime(message.sentAt)}>
          {meta}
        </span>
        {actions.error && (
          <span className="shared-file__error" role="alert">
            {actions.error.message}
          </span>
        )}
      </div>
      {!isRunning(live.state) && (
        <FileStateAction
          state={live.state}
          outgoing={message.outgoing}
          actions={actions}
          describedBy={nameId}
        />
      )}
    </li>
  );
}
