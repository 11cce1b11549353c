import { useState } from 'react';
import type { ErrorInfo } from '../../../shared/errors';
import type { NotificationContent } from '../../../shared/ipc';
import { useActions, useParley } from '../app/ParleyContext';
import { ErrorNotice } from '../design/ErrorNotice';
import type { NotificationPermissionState } from '../notifications/desktop-notifications';
import { useNotificationPermission } from '../notifications/useNotificationPermission';
import { type SettingChoice, SettingSelect } from './SettingSelect';

const CHOICES: readonly SettingChoice<NotificationContent>[] = [
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
  const [permission, askPermission] = useNotificationPermission();

  return (
    <section className="settings-section" aria-labelledby="settings-notifications">
      <h3 className="settings-section__title" id="settings-notifications">
        Notifications
      </h3>
      <SettingSelect
        label="New messages show"
        saved={saved}
        choices={CHOICES}
        save={(next) => actions.updateSettings({ notifications: next })}
        onError={setError}
        hint={`${permissionHint(permission)}Your system keeps what a notification shows outside Parley's encryption. Muted chats never notify.`}
      />
      {permission === 'default' && saved !== 'off' && (
        <div>
          <button type="button" className="button button--secondary" onClick={() => void askPermission()}>
            Allow notifications
          </button>
        </div>
      )}
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
