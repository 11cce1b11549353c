import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { ParleyError } from '../../../shared/errors';
import { contentDisposition, downloadLinks } from './download-links';
import type { SavableFile } from './file-saver';

let server: Server | null = null;
afterEach(async () => {
  await new Promise((resolve) => server?.close(resolve) ?? resolve(null));
  server = null;
});

async function host(links: ReturnType<typeof downloadLinks>): Promise<string> {
  server = createServer((req, res) => {
    if (!links.handle(req, res)) res.writeHead(418).end();
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server!.address() as AddressInfo).port}`;
}

const file = (open: () => Readable, fileName = 'Résumé "final".pdf'): SavableFile => ({
  fileName,
  mimeType: 'application/pdf',
  size: 5,
  open,
});

describe('one-time download links (browser host)', () => {
  it('serves the file once, as an attachment that is never rendered', async () => {
    const links = downloadLinks();
    const origin = await host(links);
    const outcome = await links.saver.save(file(() => Readable.from([Buffer.from('hello')])));
    expect(outcome.kind).toBe('link');
    const url = `${origin}${(outcome as { url: string }).url}`;
    const response = await fetch(url);
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('hello');
    expect(response.headers.get('content-type')).toBe('application/octet-stream');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('content-disposition')).toBe(contentDisposition('Résumé "final".pdf'));
    expect((await fetch(url)).status).toBe(404);
    expect((await fetch(`${origin}/files/${'A'.repeat(43)}`)).status).toBe(404);
    expect((await fetch(`${origin}/elsewhere`)).status).toBe(418);
  });

  it('expires links that were not used in time', async () => {
    let now = 0;
    const links = downloadLinks({ now: () => now });
    const origin = await host(links);
    const outcome = (await links.saver.save(file(() => Readable.from([Buffer.from('hello')])))) as {
      url: string;
    };
    now += 3 * 60_000;
    expect((await fetch(`${origin}${outcome.url}`)).status).toBe(404);
  });

  it('cuts the download when the file fails to decrypt, so the browser keeps nothing', async () => {
    const links = downloadLinks();
    const origin = await host(links);
    const failing = () =>
      new Readable({
        read() {
          this.push(Buffer.from('he'));
          this.destroy(new ParleyError('CRYPTO_STREAM_CORRUPT', 'altered'));
        },
      });
    const outcome = (await links.saver.save(file(failing))) as { url: string };
    // Either the headers never arrive or the body breaks off: the browser marks it failed.
    await expect(fetch(`${origin}${outcome.url}`).then((r) => r.text())).rejects.toThrow();
  });

  it('names the file safely in both forms of Content-Disposition', () => {
    expect(contentDisposition('a "b"; c%.txt')).toBe(
      `attachment; filename="a _b__ c_.txt"; filename*=UTF-8''a%20%22b%22%3B%20c%25.txt`,
    );
    expect(contentDisposition('日本.pdf')).toBe(
      `attachment; filename="__.pdf"; filename*=UTF-8''%E6%97%A5%E6%9C%AC.pdf`,
    );
  });
});
