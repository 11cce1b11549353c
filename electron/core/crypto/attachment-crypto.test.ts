/**
 * Attachment streams on the worker thread the app uses: they interoperate with the calling
 * thread's, keep the order of many batches, refuse altered blobs with the same codes, and fail
 * (rather than hang) when the worker stops.
 */
import { randomBytes } from 'node:crypto';
import { Readable, type Transform, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { coreWorkerScript } from '../workers/core-worker-script';
import { type AttachmentCrypto, inThreadAttachmentCrypto } from './attachment-crypto';
import { ATTACHMENT_CHUNK_BYTES, attachmentCiphertextSize } from './attachment-format';
import { AttachmentWorkerThread } from './attachment-worker-thread';
import { type AttachmentKey, asAttachmentKey } from './keys';
import { loadSodium, type Sodium } from './sodium';

let sodium: Sodium;
let local: AttachmentCrypto;
const worker = new AttachmentWorkerThread(coreWorkerScript());
beforeAll(async () => {
  sodium = await loadSodium();
  local = inThreadAttachmentCrypto(sodium);
});
afterAll(() => worker.close());

function freshKey(): AttachmentKey {
  return asAttachmentKey(sodium.crypto_secretstream_xchacha20poly1305_keygen());
}

async function through(transform: Transform, bytes: Uint8Array, piece = 100_000): Promise<Buffer> {
  const parts: Buffer[] = [];
  const pieces = function* () {
    for (let at = 0; at < bytes.length; at += piece) yield bytes.subarray(at, at + piece);
  };
  await pipeline(
    Readable.from(pieces(), { objectMode: false }),
    transform,
    new Writable({
      write(chunk: Buffer, _encoding, callback) {
        parts.push(Buffer.from(chunk));
        callback();
      },
    }),
  );
  return Buffer.concat(parts);
}

const K = ATTACHMENT_CHUNK_BYTES;

describe('attachment streams on the worker thread', () => {
  it.each([0, 1, K, K + 1, 5 * 1024 * 1024 + 3])('seal there, open here and back: %i bytes', async (size) => {
    const plain = randomBytes(size);
    const key = freshKey();
    const blob = await through(worker.sealing(key), plain);
    expect(blob.length).toBe(attachmentCiphertextSize(size));
    expect((await through(local.opening(key, size), blob)).equals(plain)).toBe(true);
    const again = await through(local.sealing(key), plain);
    expect((await through(worker.opening(key, size), again, 70_001)).equals(plain)).toBe(true);
  });

  it('runs several streams at once without mixing them up', async () => {
    const files = [randomBytes(3 * 1024 * 1024), randomBytes(2 * 1024 * 1024 + 9), randomBytes(77)];
    const keys = files.map(() => freshKey());
    const blobs = await Promise.all(files.map((f, i) => through(worker.sealing(keys[i]!), f)));
    const back = await Promise.all(
      blobs.map((b, i) => through(worker.opening(keys[i]!, files[i]!.length), b)),
    );
    expect(back.map((b, i) => b.equals(files[i]!))).toEqual([true, true, true]);
  });

  it('refuses an altered or cut blob with the codes of the calling thread', async () => {
    const plain = randomBytes(300_000);
    const key = freshKey();
    const blob = await through(worker.sealing(key), plain);
    const altered = Buffer.from(blob);
    altered[150_000]! ^= 1;
    await expect(through(worker.opening(key, plain.length), altered)).rejects.toMatchObject({
      code: 'CRYPTO_STREAM_CORRUPT',
    });
    await expect(
      through(worker.opening(key, plain.length), blob.subarray(0, blob.length - 100)),
    ).rejects.toMatchObject({
      code: 'CRYPTO_STREAM_TRUNCATED',
    });
  });

  it('refuses a stream it cannot start, and goes on serving the others', async () => {
    await expect(through(worker.opening(freshKey(), -1), randomBytes(100))).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
    });
    const plain = randomBytes(70_000);
    const key = freshKey();
    const blob = await through(worker.sealing(key), plain);
    expect((await through(worker.opening(key, plain.length), blob)).equals(plain)).toBe(true);
  });

  it('fails a running stream when the worker is stopped, and starts a new worker for the next', async () => {
    const own = new AttachmentWorkerThread(coreWorkerScript());
    const stream = own.sealing(freshKey());
    const failed = new Promise((resolve) => stream.once('error', resolve));
    stream.write(randomBytes(10));
    await own.close();
    expect(await failed).toMatchObject({ code: 'UNAVAILABLE' });
    // Failing its streams did not start another worker behind the closed one.
    expect((own as unknown as { worker: unknown }).worker).toBeNull();
    const plain = randomBytes(1000);
    const key = freshKey();
    const blob = await through(own.sealing(key), plain);
    expect((await through(local.opening(key, plain.length), blob)).equals(plain)).toBe(true);
    await own.close();
  });
});
