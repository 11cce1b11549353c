/**
 * The peer's identity key changed. One sentence says what it means; "Verify" opens the safety
 * number, "Accept" takes the new key (and, for a verified contact, lets sending resume).
 */
import { useState } from 'react';
import type { ErrorInfo } from '../../../shared/errors';
import type { ConversationView } from '../../../shared/ipc';
import { useActions } from '../app/ParleyContext';
import { ErrorNotice } from '../design/ErrorNotice';
import { Icon } from '../design/Icon';

export function KeyChangeBanner({ conversation }: { conversation: ConversationView }) {
  const actions = useActions();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ErrorInfo | null>(null);
  const name = conversation.title;

  async function accept() {
    setBusy(true);
    setError(null);
    const result = await actions.acceptKeyChange(conversation.peerUserId);
    setBusy(false);
    if (!result.ok) setError(result.error);
  }

  return (
    <div className="banner banner--warning" role="alert">
      <Icon name="alert" className="banner__icon" />
      <div className="banner__body">
        <p className="banner__text">
          {conversation.verified
            ? `${name}'s safety number has changed, so messages to them are paused until you verify the new number or accept it.`
            : `${name}'s safety number has changed, most likely because they reinstalled Parley or changed devices; verify it to be sure no one is listening in.`}
        </p>
        {error && <ErrorNotice error={error} />}
      </div>
      <div className="banner__actions">
        <button
          type="button"
          className="button button--secondary"
          onClick={() => actions.showPanel('contact')}
        >
          Verify
        </button>
        <button
          type="button"
          className="button button--primary"
          disabled={busy}
          onClick={() => void accept()}
        >
          Accept
        </button>
      </div>
    </div>
  );
}
