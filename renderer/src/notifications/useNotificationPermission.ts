/** The browser's notification permission as React state, and asking for it (call it on a click). */
import { useState } from 'react';
import {
  type NotificationPermissionState,
  notificationPermission,
  requestNotificationPermission,
} from './desktop-notifications';

export function useNotificationPermission(): [NotificationPermissionState, () => Promise<void>] {
  const [permission, setPermission] = useState<NotificationPermissionState>(notificationPermission);
  const ask = async () => setPermission(await requestNotificationPermission());
  return [permission, ask];
}
