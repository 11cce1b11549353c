import { useState } from 'react';
import type { ErrorInfo } from '../../../shared/errors';
import { useActions } from '../app/ParleyContext';
import { Icon } from '../design/Icon';

/** Under a message that could not be sent: says so, and offers to try again. */
export function SendFailed({ messageId }: { messageId: string }) {
  const actions = useActions();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ErrorInfo | null>(null);
  async function retry() {
    setBusy(true);
    setError(null);
    const result = await actions.retryMessage(messageId);
    setBusy(false);
    if (!result.ok) setError(result.error);
  }
  return (
    <div className="message__failed">
      <Icon name="alert" size={16} />
      <span>Couldn't send</span>
      <button type="button" className="link-button" disabled={busy} onClick={() => void retry()}>
        Retry
      </button>
      {error && (
        <span className="message__failed-error" role="alert">
          {error.message} <span className="message__failed-code">{error.code}</span>
        </span>
      )}
    </div>
  );
}
