/**
 * Serves the built renderer under app://parley/ with the same security headers as the browser
 * host (a CSP header, not a meta tag), so the page never loads from file:// or the network.
 */
import { protocol } from 'electron';
import { contentSecurityPolicy, securityHeaders } from '../host/content-security-policy';
import { readStaticFile } from '../host/static-files';

export const APP_SCHEME = 'app';
export const APP_ORIGIN = 'app://parley';

/** Must run before the app is ready. */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
  ]);
}

export function serveRenderer(rendererDir: string): void {
  const headers = securityHeaders(contentSecurityPolicy([]));
  protocol.handle(APP_SCHEME, async (request) => {
    const url = new URL(request.url);
    if (url.host !== 'parley') return new Response('Not found', { status: 404 });
    const file = await readStaticFile(rendererDir, url.pathname);
    if (!file) return new Response('Not found', { status: 404, headers });
    return new Response(new Uint8Array(file.body), {
      headers: { ...headers, 'content-type': file.contentType },
    });
  });
}
