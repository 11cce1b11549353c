/**
 * Process-wide security settings for the Electron shell: every permission denied except
 * notifications, no navigation away from the app, no new windows (links open in the system
 * browser), no <webview>.
 */
import { app, type Session, shell } from 'electron';
import { APP_ORIGIN } from './app-protocol';

const ALLOWED_PERMISSIONS = new Set(['notifications']);

export function hardenSession(session: Session): void {
  session.setPermissionRequestHandler((_contents, permission, callback) =>
    callback(ALLOWED_PERMISSIONS.has(permission)),
  );
  session.setPermissionCheckHandler((_contents, permission) => ALLOWED_PERMISSIONS.has(permission));
}

function openExternally(url: string): void {
  const parsed = URL.canParse(url) ? new URL(url) : null;
  if (
    parsed &&
    (parsed.protocol === 'https:' || parsed.protocol === 'http:' || parsed.protocol === 'mailto:')
  ) {
    void shell.openExternal(parsed.toString());
  }
}

export function hardenAllWebContents(): void {
  app.on('web-contents-created', (_event, contents) => {
    contents.on('will-navigate', (event, url) => {
      if (!url.startsWith(`${APP_ORIGIN}/`)) event.preventDefault();
      if (!url.startsWith(`${APP_ORIGIN}/`)) openExternally(url);
    });
    contents.on('will-redirect', (event) => event.preventDefault());
    contents.on('will-attach-webview', (event) => event.preventDefault());
    contents.setWindowOpenHandler(({ url }) => {
      openExternally(url);
      return { action: 'deny' };
    });
  });
}
