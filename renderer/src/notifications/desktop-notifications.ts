/**
 * Shows message notifications through the web Notification API, which Electron's renderer and
 * the browsers the host serves both provide. A click brings the window forward and opens the
 * conversation. Browsers ask the user's permission first (Settings > Notifications asks on a
 * click); Electron grants it.
 */
import type { MessageNotification } from './message-notification';

export type ShowNotification = (notification: MessageNotification, onClick: () => void) => void;

export type NotificationPermissionState = 'granted' | 'denied' | 'default' | 'unsupported';

export function notificationPermission(): NotificationPermissionState {
  return typeof Notification === 'undefined' ? 'unsupported' : Notification.permission;
}

export async function requestNotificationPermission(): Promise<NotificationPermissionState> {
  if (typeof Notification === 'undefined') return 'unsupported';
  return Notification.requestPermission();
}

export const showDesktopNotification: ShowNotification = (notification, onClick) => {
  if (notificationPermission() !== 'granted') return;
  const shown = new Notification(notification.title, { body: notification.body, tag: notification.tag });
  shown.onclick = () => {
    window.focus();
    onClick();
    shown.close();
  };
};
