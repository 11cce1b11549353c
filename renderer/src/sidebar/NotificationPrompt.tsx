/**
 * In a browser, notifications need the user's permission, asked on a click: this card offers it
 * once per session until the user answers (Settings > Notifications offers it again). Electron
 * grants the permission, so the card never shows there.
 */
import { useId, useState } from 'react';
import { useParley } from '../app/ParleyContext';
import { useNotificationPermission } from '../notifications/useNotificationPermission';

const DISMISSED_KEY = 'parley.notification-prompt.dismissed';

export function NotificationPrompt() {
  const wanted = useParley((s) => s.settings !== null && s.settings.notifications !== 'off');
  const [permission, askPermission] = useNotificationPermission();
  const [dismissed, setDismissed] = useState(() => sessionStorage.getItem(DISMISSED_KEY) === '1');
  const titleId = useId();
  if (!wanted || permission !== 'default' || dismissed) return null;
  return (
    <section className="notification-prompt" aria-labelledby={titleId}>
      <p className="notification-prompt__text" id={titleId}>
        Turn on notifications to hear about new messages while Parley is in the background.
      </p>
      <div className="notification-prompt__actions">
        <button type="button" className="button button--primary" onClick={() => void askPermission()}>
          Turn on
        </button>
        <button
          type="button"
          className="button button--secondary"
          onClick={() => {
            sessionStorage.setItem(DISMISSED_KEY, '1');
            setDismissed(true);
          }}
        >
          Not now
        </button>
      </div>
    </section>
  );
}
