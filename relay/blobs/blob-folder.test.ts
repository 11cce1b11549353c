import { mkdtempSync, rmSync, symlinkSync, unlinkSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { BlobFolder } from './blob-folder';

const ID = 'A'.repeat(22);
let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'parley-blob-folder-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** An upload's body as the HTTP server hands it over. */
function body(bytes: number): IncomingMessage {
  const req = new PassThrough();
  req.end(Buffer.alloc(bytes, 7));
  req.on('end', () => Object.assign(req, { complete: true }));
  return req as unknown as IncomingMessage;
}

it('writes an upload and reports how much it holds', async () => {
  const folder = await BlobFolder.open(dir);
  await folder.create(ID);
  expect(await folder.receive(ID, body(3 * 1024 * 1024 + 5), 10 * 1024 * 1024)).toEqual({
    written: 3 * 1024 * 1024 + 5,
    state: 'complete',
  });
  expect(await folder.size(ID)).toBe(3 * 1024 * 1024 + 5);
});

it('says the relay is out of room when its disk is full, and the process goes on', async (context) => {
  // Linux's /dev/full refuses every write with ENOSPC, as a full disk does.
  if (process.platform !== 'linux') context.skip();
  const folder = await BlobFolder.open(dir);
  await folder.create(ID);
  unlinkSync(join(dir, ID));
  symlinkSync('/dev/full', join(dir, ID));
  await expect(folder.receive(ID, body(3 * 1024 * 1024), 10 * 1024 * 1024)).rejects.toMatchObject({
    code: 'UNAVAILABLE',
    message: expect.stringMatching(/no room/),
  });
  await folder.settle();
});
