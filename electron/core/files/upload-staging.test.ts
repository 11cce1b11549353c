import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AttachmentWorkerThread, attachmentCiphertextSize, loadSodium, type Sodium } from '../crypto';
import { coreWorkerScript } from '../workers/core-worker-script';
import { openDecrypted } from './decrypted-file';
import { UploadStaging } from './upload-staging';

let sodium: Sodium;
let dir: string;
// The real attachment worker thread, as the app runs it.
const crypto = new AttachmentWorkerThread(coreWorkerScript());
beforeAll(async () => {
  sodium = await loadSodium();
});
afterAll(() => crypto.close());
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function fresh(): string {
  dir = mkdtempSync(join(tmpdir(), 'parley-staging-'));
  return join(dir, 'copy');
}

async function readAll(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const part of stream) parts.push(part as Buffer);
  return Buffer.concat(parts);
}

describe('handing a file over in pieces', () => {
  it('encrypts as the pieces arrive into a copy that decrypts to the same bytes', async () => {
    const path = fresh();
    const bytes = randomBytes(300_000);
    const staging = await UploadStaging.create(sodium, crypto, path, bytes.length);
    for (let offset = 0; offset < bytes.length; offset += 70_000) {
      await staging.append(offset, bytes.subarray(offset, offset + 70_000));
    }
    const result = await staging.finish();
    expect(staging.file.complete()).toBe(true);
    expect(staging.file.written()).toBe(attachmentCiphertextSize(bytes.length));
    const copy = readFileSync(path);
    expect(copy.length).toBe(attachmentCiphertextSize(bytes.length));
    expect(Buffer.from(result.ciphertextHash).equals(createHash('sha256').update(copy).digest())).toBe(true);
    expect(copy.includes(bytes.subarray(1000, 1100))).toBe(false);
    const plain = await readAll(
      openDecrypted(crypto, { path, key: result.key, size: bytes.length }, () => {}),
    );
    expect(plain.equals(bytes)).toBe(true);
  });

  it('refuses pieces out of order or beyond the announced size, and an early finish', async () => {
    const staging = await UploadStaging.create(sodium, crypto, fresh(), 10);
    await expect(staging.append(5, new Uint8Array(5))).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    await staging.append(0, new Uint8Array(6));
    await expect(staging.append(6, new Uint8Array(5))).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    await expect(staging.finish()).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
      message: expect.stringContaining('Only 6 of the 10 bytes'),
    });
    await staging.abort(new Error('done'));
  });

  it('marks a copy that decrypts badly as damaged', async () => {
    const path = fresh();
    const staging = await UploadStaging.create(sodium, crypto, path, 100_000);
    await staging.append(0, randomBytes(100_000));
    const result = await staging.finish();
    const copy = readFileSync(path);
    copy[70_000]! ^= 1;
    writeFileSync(path, copy);
    let damaged = false;
    const stream = openDecrypted(crypto, { path, key: result.key, size: 100_000 }, () => {
      damaged = true;
    });
    await expect(readAll(stream)).rejects.toMatchObject({ code: 'CRYPTO_STREAM_CORRUPT' });
    expect(damaged).toBe(true);
  });
});
