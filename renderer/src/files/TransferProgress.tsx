/**
 * A running upload or download: a bar (role="progressbar", whole percent, the figures as its
 * value text), the figures in words ("3.2 MB of 10 MB · 1.1 MB/s · 8 s left") and Cancel.
 */
import { useId } from 'react';
import { percentDone, progressText } from './file-size';
import type { LiveTransfer } from './live-transfer';

export function TransferProgress({
  live,
  direction,
  fileName,
  onCancel,
  cancelling,
}: {
  live: LiveTransfer;
  direction: 'upload' | 'download';
  fileName: string;
  onCancel: () => void;
  cancelling: boolean;
}) {
  const textId = useId();
  const percent = percentDone(live.bytesDone, live.bytesTotal);
  const figures = progressText(live);
  const waiting = live.state === 'paused';
  const preparing = live.state === 'staging' && live.bytesDone === 0;
  const text = waiting
    ? `Waiting for the relay · ${figures}`
    : preparing
      ? `Preparing · ${figures}`
      : figures;
  const verb = direction === 'upload' ? 'Sending' : 'Downloading';
  return (
    <div className={`transfer${waiting ? ' is-waiting' : ''}`}>
      <div
        className="transfer__bar"
        role="progressbar"
        aria-label={`${verb} ${fileName}`}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={percent}
        aria-valuetext={`${percent}%: ${text}`}
        aria-describedby={textId}
      >
        <span className="transfer__fill" style={{ width: `${percent}%` }} />
      </div>
      <div className="transfer__row">
        <span className="transfer__text" id={textId}>
          {text}
        </span>
        <button
          type="button"
          className="transfer__cancel"
          disabled={cancelling}
          aria-label={`Cancel ${direction === 'upload' ? 'sending' : 'downloading'} ${fileName}`}
          onClick={onCancel}
        >
          Cancel
        </button>
      </div>
    </div>
  );
}
