import { useId, useState } from 'react';
import type { ErrorInfo } from '../../../shared/errors';
import type { NotificationContent } from '../../../shared/ipc';
import { useActions, useParley } from '../app/ParleyContext';
import { ErrorNotice } from '../design/ErrorNotice';
import {
  type NotificationPermissionState,
  notificationPermission,
  requestNotificationPermission,
} from '../notifications/desktop-notifications';

const CHOICES: readonly { value: NotificationContent; label: string }[] = [
  { value: 'message', label: 'Name and message' },
  { value: 'sender', label: 'Name only' },
  { value: 'hidden', label: 'No name or message' },
  { value: 'off', label: 'Off' },
];

/** What notifications of new messages show, and (in a browser) the permission to show them. */
export function NotificationsSection() {
  const actions = useActions();
  const saved = useParley((s) => s.settings?.notifications ?? null);
  const [error, setError] = useState<ErrorInfo | null>(null);
  const [choosing, setChoosing] = useState<NotificationContent | null>(null);
  const [permission, setPermission] = useState<NotificationPermissionState>(notificationPermission);
  const content = choosing ?? saved;
  const selectId = useId();
  const hintId = useId();

  return (
    <section className="settings-section" aria-labelledby="settings-notifications">
      <h3 className="settings-section__title" id="settings-notifications">
        Notifications
      </h3>
      <div className="settings-row">
        <div className="field">
          <label className="field__label" htmlFor={selectId}>
            New messages show
          </label>
          <select
            id={selectId}
            className="field__input field__select"
            aria-describedby={hintId}
            value={content ?? ''}
            disabled={content === null}
            onChange={async (event) => {
              const next = event.target.value as NotificationContent;
              setError(null);
              setChoosing(next);
              const result = await actions.updateSettings({ notifications: next });
              setChoosing(null);
              if (!result.ok) setError(result.error);
            }}
          >
            {content === null && <option value="">Unavailable</option>}
            {CHOICES.map((choice) => (
              <option key={choice.value} value={choice.value}>
                {choice.label}
              </option>
            ))}
          </select>
        </div>
        {permission === 'default' && content !== 'off' && (
          <button
            type="button"
            className="button button--secondary"
            onClick={async () => setPermission(await requestNotificationPermission())}
          >
            Allow notifications
          </button>
        )}
      </div>
      <p className="field__hint" id={hintId}>
        {permissionHint(permission)}Your system keeps what a notification shows outside Parley's encryption.
        Muted chats never notify.
      </p>
      {error && <ErrorNotice error={error} />}
    </section>
  );
}

function permissionHint(permission: NotificationPermissionState): string {
  switch (permission) {
    case 'granted':
      return '';
    case 'default':
      return 'This browser asks before Parley may show notifications. ';
    case 'denied':
      return "This browser blocks Parley's notifications: allow them in its site settings. ";
    case 'unsupported':
      return 'This browser cannot show notifications. ';
  }
}
