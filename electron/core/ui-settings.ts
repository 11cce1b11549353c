/**
 * The UI's preferences (theme, auto-lock, what notifications show). Not secret, and needed before unlock (the lock screen
 * follows the theme), so they live in a small JSON file next to the account, not in the database.
 */
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { NotificationContent, SettingsView } from '../../shared/ipc';

export const DEFAULT_SETTINGS: SettingsView = {
  theme: 'system',
  autoLockMinutes: 15,
  notifications: 'sender',
};

const NOTIFICATION_CONTENTS: readonly NotificationContent[] = ['message', 'sender', 'hidden', 'off'];

export class UiSettings {
  private readonly path: string;

  constructor(dataDir: string) {
    this.path = join(dataDir, 'settings.json');
  }

  get(): SettingsView {
    try {
      const raw = JSON.parse(readFileSync(this.path, 'utf8')) as Partial<SettingsView>;
      const theme = raw.theme === 'light' || raw.theme === 'dark' ? raw.theme : 'system';
      const minutes = Number.isInteger(raw.autoLockMinutes)
        ? (raw.autoLockMinutes as number)
        : DEFAULT_SETTINGS.autoLockMinutes;
      const notifications = NOTIFICATION_CONTENTS.find((c) => c === raw.notifications);
      return {
        theme,
        autoLockMinutes: Math.min(Math.max(minutes, 0), 24 * 60),
        notifications: notifications ?? DEFAULT_SETTINGS.notifications,
      };
    } catch {
      return DEFAULT_SETTINGS;
    }
  }

  update(patch: Partial<SettingsView>): SettingsView {
    const next = { ...this.get(), ...patch };
    writeFileSync(`${this.path}.tmp`, JSON.stringify(next), { mode: 0o600 });
    renameSync(`${this.path}.tmp`, this.path);
    return next;
  }
}
