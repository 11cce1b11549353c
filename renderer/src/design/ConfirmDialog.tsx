/**
 * Asks before something that cannot be undone. Focus starts on Cancel, so that Enter pressed by
 * habit keeps what is there; the action's own error shows in the dialog, which stays open.
 */
import { useEffect, useRef, useState } from 'react';
import type { ErrorInfo } from '../../../shared/errors';
import type { Result } from '../../../shared/result';
import { Dialog } from './Dialog';
import { ErrorNotice } from './ErrorNotice';

export function ConfirmDialog({
  title,
  text,
  confirmLabel,
  onConfirm,
  onClose,
}: {
  title: string;
  text: string;
  confirmLabel: string;
  onConfirm: () => Promise<Result<unknown>>;
  onClose: () => void;
}) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ErrorInfo | null>(null);
  const cancel = useRef<HTMLButtonElement>(null);

  // After showModal (a layout effect of Dialog), which focuses the first control it finds.
  useEffect(() => cancel.current?.focus(), []);

  async function confirm() {
    setBusy(true);
    setError(null);
    const result = await onConfirm();
    setBusy(false);
    if (result.ok) onClose();
    else setError(result.error);
  }

  return (
    <Dialog title={title} onClose={onClose} className="confirm-dialog">
      <div className="dialog__body">
        <p>{text}</p>
        {error && <ErrorNotice error={error} />}
        <div className="dialog__actions">
          <button ref={cancel} type="button" className="button button--secondary" onClick={onClose}>
            Cancel
          </button>
          <button
            type="button"
            className="button button--danger"
            disabled={busy}
            onClick={() => void confirm()}
          >
            {confirmLabel}
          </button>
        </div>
      </div>
    </Dialog>
  );
}
