/**
 * "Save as" for the browser host: the page cannot be handed a stream, so saving makes a one-time
 * link (`/files/<random token>`) that the page opens; the host passes requests for it to
 * `handle`, which streams the decrypted bytes as a download (Content-Disposition: attachment,
 * with the file's safe name; served as octet-stream with nosniff, so the browser never renders
 * it). A link works once and for a short time, and only on the host's own origin, which already
 * refuses foreign Host headers; its token is the capability.
 */
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { pipeline } from 'node:stream/promises';
import type { FileSaver, SavableFile } from './file-saver';

export const DOWNLOAD_LINK_PREFIX = '/files/';
const LINK_TTL_MS = 2 * 60_000;
const TOKEN = /^[A-Za-z0-9_-]{43}$/;

export interface DownloadLinks {
  readonly saver: FileSaver;
  /** Serves a download link; false when the request is not for one (the host serves it then). */
  handle(req: IncomingMessage, res: ServerResponse): boolean;
}

export function downloadLinks(options: { now?: () => number } = {}): DownloadLinks {
  const now = options.now ?? Date.now;
  const links = new Map<string, { file: SavableFile; expiresAt: number }>();
  const forgetExpired = () => {
    for (const [token, link] of links) if (link.expiresAt <= now()) links.delete(token);
  };
  return {
    saver: {
      writesBeforeAnswering: false,
      async save(file) {
        forgetExpired();
        const token = randomBytes(32).toString('base64url');
        links.set(token, { file, expiresAt: now() + LINK_TTL_MS });
        return { kind: 'link', url: `${DOWNLOAD_LINK_PREFIX}${token}` };
      },
    },
    handle(req, res) {
      const path = (req.url ?? '').split('?')[0] ?? '';
      if (!path.startsWith(DOWNLOAD_LINK_PREFIX)) return false;
      forgetExpired();
      const token = path.slice(DOWNLOAD_LINK_PREFIX.length);
      const link = TOKEN.test(token) ? links.get(token) : undefined;
      if (!link || req.method !== 'GET') {
        res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' });
        res.end('This download link has expired. Save the file again.');
        return true;
      }
      links.delete(token); // one time only
      res.writeHead(200, {
        'content-type': 'application/octet-stream',
        'content-length': String(link.file.size),
        'content-disposition': contentDisposition(link.file.fileName),
        'x-content-type-options': 'nosniff',
        'cache-control': 'no-store',
      });
      // A file that fails to decrypt half-way cuts the response, so the browser marks the
      // download failed instead of keeping a damaged file.
      void pipeline(link.file.open(), res).catch(() => res.destroy());
      return true;
    },
  };
}

/** RFC 6266: an ASCII fallback name and the real one in RFC 8187 encoding. */
export function contentDisposition(fileName: string): string {
  const fallback = fileName.replace(/[^\x20-\x7e]|["\\%;]/g, '_');
  const encoded = encodeURIComponent(fileName).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}
