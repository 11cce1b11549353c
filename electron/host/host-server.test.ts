/**
 * THREAT-MODEL row "A local web page or program on the same machine": the host refuses a bridge
 * connection without this launch's token or from a foreign Origin, and logs each refusal.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { encodeBinaryInvoke, type HostToPageFrame } from '../../shared/host-protocol';
import type { CoreLogger } from '../core/core';
import { createCore } from '../core/create-core';
import { relayClientConnector } from '../core/messenger/relay-client-connector';
import { type HostHandle, startHost } from './host-server';

const TOKEN = 'test-token-0123456789abcdefghijklmnopqrstuvwxyz';
const lines: { level: string; fields: Record<string, unknown> }[] = [];
const logger: CoreLogger = {
  info: (fields) => lines.push({ level: 'info', fields }),
  warn: (fields) => lines.push({ level: 'warn', fields }),
  error: (fields) => lines.push({ level: 'error', fields }),
};

let dir: string;
let host: HostHandle;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'parley-host-'));
  writeFileSync(
    join(dir, 'index.html'),
    '<!doctype html><html><head><title>Parley</title></head><body></body></html>',
  );
  writeFileSync(join(tmpdir(), 'parley-host-secret.txt'), 'outside');
  const core = await createCore({
    dataDir: dir,
    defaultRelayUrl: 'http://127.0.0.1:1',
    appVersion: '0.0.0-test',
    logger,
    relays: relayClientConnector(logger),
  });
  host = await startHost({ core, rendererDir: dir, bridgeScript: '/* bridge */', logger, token: TOKEN });
});

afterAll(async () => {
  await host.close();
  rmSync(dir, { recursive: true, force: true });
});

function connect(
  query: string,
  origin: string | undefined,
): Promise<{ ws: WebSocket; frames: HostToPageFrame[] } | { status: number }> {
  return new Promise((resolve) => {
    const ws = new WebSocket(`ws://127.0.0.1:${host.port}/bridge${query}`, {
      headers: origin ? { origin } : {},
    });
    const frames: HostToPageFrame[] = [];
    ws.on('message', (data) => frames.push(JSON.parse(String(data)) as HostToPageFrame));
    ws.once('open', () => resolve({ ws, frames }));
    ws.once('unexpected-response', (_req, res) => resolve({ status: res.statusCode ?? 0 }));
    ws.once('error', () => resolve({ status: -1 }));
  });
}

function get(
  path: string,
  hostHeader?: string,
): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port: host.port, path, headers: hostHeader ? { host: hostHeader } : {} },
      (res) => {
        let body = '';
        res.on('data', (chunk) => {
          body += chunk;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

function invoke(ws: WebSocket, method: string, args?: unknown, bytes?: Uint8Array): Promise<HostToPageFrame> {
  return new Promise((resolve) => {
    const id = Math.floor(Math.random() * 1e9);
    ws.on('message', (data) => {
      const frame = JSON.parse(String(data)) as HostToPageFrame;
      if (frame.type === 'result' && frame.id === id) resolve(frame);
    });
    const frame = { type: 'invoke' as const, id, method: method as never, args };
    ws.send(bytes ? encodeBinaryInvoke({ ...frame, binary: 'data' }, bytes) : JSON.stringify(frame));
  });
}

describe('browser host', () => {
  it('listens on loopback only and hands out a URL with the token in the fragment', () => {
    expect(host.origin).toBe(`http://127.0.0.1:${host.port}`);
    expect(host.url).toBe(`${host.origin}/#token=${TOKEN}`);
  });

  it('refuses a bridge connection without the token, and logs it', async () => {
    const before = lines.length;
    expect(await connect('', host.origin)).toEqual({ status: 401 });
    expect(lines.slice(before).some((l) => l.level === 'warn' && l.fields.code === 'HOST_BAD_TOKEN')).toBe(
      true,
    );
  });

  it('refuses a bridge connection with a wrong token', async () => {
    expect(await connect(`?token=${TOKEN.slice(0, -1)}x`, host.origin)).toEqual({ status: 401 });
  });

  it('refuses a bridge connection from a foreign Origin, and logs it', async () => {
    const before = lines.length;
    expect(await connect(`?token=${TOKEN}`, 'http://evil.example')).toEqual({ status: 403 });
    expect(await connect(`?token=${TOKEN}`, undefined)).toEqual({ status: 403 });
    expect(lines.slice(before).filter((l) => l.fields.code === 'HOST_BAD_ORIGIN')).toHaveLength(2);
  });

  it('bridges the contract for its own page, telling it the current phase on connect', async () => {
    const result = await connect(`?token=${TOKEN}`, host.origin);
    if (!('ws' in result)) throw new Error(`expected a connection, got ${result.status}`);
    const info = await invoke(result.ws, 'app.info');
    expect(result.frames[0]).toMatchObject({
      type: 'event',
      event: 'app.state',
      payload: { phase: 'onboarding' },
    });
    expect(info).toMatchObject({
      type: 'result',
      result: { ok: true, value: { name: 'Parley', version: '0.0.0-test' } },
    });
    const unknown = await invoke(result.ws, 'keys.export');
    expect(unknown).toMatchObject({ result: { ok: false, error: { code: 'IPC_UNKNOWN_METHOD' } } });
    const bad = await invoke(result.ws, 'settings.update', { theme: 'neon' });
    expect(bad).toMatchObject({ result: { ok: false, error: { code: 'IPC_BAD_ARGUMENTS' } } });
    result.ws.close();
  });

  it('carries file pieces as binary frames, bytes as bytes, and drops a malformed one', async () => {
    const result = await connect(`?token=${TOKEN}`, host.origin);
    if (!('ws' in result)) throw new Error(`expected a connection, got ${result.status}`);
    const args = { transferId: 'm-\u00e9', offset: 0 };
    // The bytes reach the core as bytes: the arguments pass, and the core says why it cannot
    // take them (no account yet) rather than the bridge calling them malformed.
    const piece = await invoke(result.ws, 'file.chunk', args, new Uint8Array(1000).fill(7));
    expect(piece).toMatchObject({ result: { ok: false } });
    expect((piece as { result: { error: { code: string } } }).result.error.code).not.toBe(
      'IPC_BAD_ARGUMENTS',
    );
    const tooLarge = await invoke(result.ws, 'file.chunk', args, new Uint8Array(300 * 1024));
    expect(tooLarge).toMatchObject({ result: { ok: false, error: { code: 'IPC_BAD_ARGUMENTS' } } });
    const before = lines.length;
    result.ws.send(Uint8Array.from([0, 0, 0, 99, 1, 2, 3]));
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(lines.slice(before)).toContainEqual({ level: 'warn', fields: { event: 'host.bad_frame' } });
    result.ws.close();
  });

  it('serves the page with a strict CSP and the bridge script before the app', async () => {
    const page = await get('/');
    expect(page.status).toBe(200);
    expect(String(page.headers['content-security-policy'])).toMatch(
      /^default-src 'none'; script-src 'self';/,
    );
    expect(page.body).toContain('<head><script src="/parley-bridge.js"></script>');
  });

  it('refuses a foreign Host header (DNS rebinding) and paths outside the app', async () => {
    expect((await get('/', 'evil.example')).status).toBe(421);
    expect((await get('/../parley-host-secret.txt')).status).toBe(404);
    expect((await get('/%2e%2e/parley-host-secret.txt')).status).toBe(404);
  });
});
