/**
 * Issue 4, item 5: attachment blobs. Streamed uploads with the size limit checked while the bytes
 * arrive, resumable by offset; downloads by unguessable id with a capability token, with Range
 * support; deletion after expiry. The relay sees only opaque (client-encrypted) bytes.
 */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { BlobDownload } from '../electron/core/relay-client/relay-client';
import { eventually, type RelayWorld, startRelayWorld } from './support/relay-world';

let world: RelayWorld;
afterEach(async () => {
  await world?.close();
});

async function* chunks(bytes: Uint8Array, size = 16 * 1024): AsyncIterable<Uint8Array> {
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

async function readAll(download: BlobDownload): Promise<Uint8Array> {
  return new Uint8Array(await new Response(download.body).arrayBuffer());
}

/** A raw HTTP request with a chunked body (no Content-Length), for what fetch would not send. */
function rawPatch(
  url: string,
  headers: Record<string, string>,
  body: Uint8Array,
): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      url,
      { method: 'PATCH', headers: { ...headers, 'transfer-encoding': 'chunked' } },
      (res) => {
        let text = '';
        res.on('data', (c: Buffer) => {
          text += c.toString();
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
      },
    );
    req.on('error', (error) => reject(error));
    for (let i = 0; i < body.length; i += 1000) req.write(body.subarray(i, i + 1000));
    req.end();
  });
}

describe('attachment blobs', () => {
  it('streams an upload and downloads it whole and by range', async () => {
    world = await startRelayWorld();
    const alice = await world.device();
    const bob = await world.device();
    const data = new Uint8Array(randomBytes(300_000));
    const blob = await alice.client.upload(chunks(data), { size: data.length });
    expect(blob).toMatchObject({ offset: data.length, size: data.length, complete: true });
    expect(blob.id).toMatch(/^[A-Za-z0-9_-]{22}$/);

    const whole = await bob.client.download(blob.id, blob.token);
    expect(whole.size).toBe(data.length);
    expect(await readAll(whole)).toEqual(data);
    const part = await bob.client.download(blob.id, blob.token, { start: 1000, end: 1999 });
    expect([part.start, part.end, part.size]).toEqual([1000, 1999, data.length]);
    expect(await readAll(part)).toEqual(data.subarray(1000, 2000));
    const tail = await fetch(`${world.url}/v1/blobs/${blob.id}`, {
      headers: { 'x-parley-capability': blob.token, range: 'bytes=-100' },
    });
    expect(tail.status).toBe(206);
    expect(new Uint8Array(await tail.arrayBuffer())).toEqual(data.subarray(data.length - 100));
    const outside = await fetch(`${world.url}/v1/blobs/${blob.id}`, {
      headers: { 'x-parley-capability': blob.token, range: `bytes=${data.length}-` },
    });
    expect(outside.status).toBe(416);
  });

  it('resumes an upload from the offset the relay holds', async () => {
    world = await startRelayWorld();
    const carol = await world.device();
    const data = new Uint8Array(randomBytes(200_000));
    const started = await carol.client.upload(chunks(data.subarray(0, 70_000)), { size: data.length });
    expect(started).toMatchObject({ offset: 70_000, complete: false });

    // An upload cut off mid-stream keeps what arrived; the relay says where to resume.
    async function* failing(): AsyncIterable<Uint8Array> {
      yield data.subarray(70_000, 100_000);
      await new Promise((resolve) => setTimeout(resolve, 100));
      throw new Error('network gone');
    }
    await expect(
      carol.client.upload(failing(), { size: data.length, offset: 70_000, blob: started }),
    ).rejects.toThrow();
    // Once the relay has seen the cut (it logs it), it says where to resume.
    await eventually(() => (world.logged('relay.blob_interrupted').length === 1 ? true : undefined));
    const status = await carol.client.blobStatus(started.id);
    expect(status.offset).toBeGreaterThanOrEqual(70_000);
    expect(status.offset).toBeLessThanOrEqual(100_000);
    await expect(
      carol.client.upload(chunks(data.subarray(10)), { size: data.length, offset: 10, blob: started }),
    ).rejects.toMatchObject({ code: 'RELAY_BLOB_OFFSET_MISMATCH' });

    const done = await carol.client.upload(chunks(data.subarray(status.offset)), {
      size: data.length,
      offset: status.offset,
      blob: started,
    });
    expect(done).toMatchObject({ offset: data.length, complete: true });
    expect(await readAll(await carol.client.download(started.id, started.token))).toEqual(data);
    await expect(
      carol.client.upload(chunks(data.subarray(0, 1)), { size: 1, offset: data.length, blob: started }),
    ).rejects.toMatchObject({
      code: 'CONFLICT',
    });
  });

  it('checks the size while the bytes arrive, whatever the headers say', async () => {
    world = await startRelayWorld({ blobMaxBytes: 100_000 });
    const dora = await world.device();
    await expect(dora.client.createBlob(100_001)).rejects.toMatchObject({ code: 'RELAY_BLOB_TOO_LARGE' });
    const blob = await dora.client.createBlob(1000);
    const session = await (dora.client as unknown as { sessionToken(): Promise<string> }).sessionToken();
    const answer = await rawPatch(
      `${world.url}/v1/blobs/${blob.id}`,
      { authorization: `Bearer ${session}`, 'upload-offset': '0' },
      new Uint8Array(5000),
    );
    expect(answer.status).toBe(413);
    expect(JSON.parse(answer.text)).toMatchObject({ error: { code: 'RELAY_BLOB_TOO_LARGE' } });
    expect((await dora.client.blobStatus(blob.id)).offset).toBeLessThanOrEqual(1000);
    expect(world.logged('relay.blob_too_large')).toHaveLength(1);
  });

  it('opens a blob only with its capability token, and only once it is complete', async () => {
    world = await startRelayWorld();
    const erin = await world.device();
    const blob = await erin.client.upload(chunks(new Uint8Array(10)), { size: 20 });
    await expect(erin.client.download(blob.id, blob.token)).rejects.toMatchObject({ code: 'CONFLICT' });
    const wrong = 'A'.repeat(43);
    await expect(erin.client.download(blob.id, wrong)).rejects.toMatchObject({
      code: 'RELAY_BLOB_NOT_FOUND',
    });
    await expect(erin.client.download('B'.repeat(22), blob.token)).rejects.toMatchObject({
      code: 'RELAY_BLOB_NOT_FOUND',
    });
    const noToken = await fetch(`${world.url}/v1/blobs/${blob.id}`);
    expect(noToken.status).toBe(404);
    const traversal = await fetch(`${world.url}/v1/blobs/..%2F..%2Fetc%2Fpasswd`, {
      headers: { 'x-parley-capability': wrong },
    });
    expect(traversal.status).toBe(404);
  });

  it('needs a current session to create or upload, and refuses a revoked device', async () => {
    world = await startRelayWorld();
    const fay = await world.device();
    const anonymous = await fetch(`${world.url}/v1/blobs`, {
      method: 'POST',
      body: JSON.stringify({ size: 1 }),
    });
    expect(anonymous.status).toBe(401);
    expect(await anonymous.json()).toMatchObject({ error: { code: 'RELAY_UNAUTHENTICATED' } });
    const session = await (fay.client as unknown as { sessionToken(): Promise<string> }).sessionToken();
    await world.relay.admin.revokeDevice(fay.address);
    const revoked = await fetch(`${world.url}/v1/blobs`, {
      method: 'POST',
      headers: { authorization: `Bearer ${session}` },
      body: JSON.stringify({ size: 1 }),
    });
    expect(revoked.status).toBe(401);
  });

  it('deletes blobs when they expire', async () => {
    let now = Date.now();
    world = await startRelayWorld({ blobTtlMs: 60_000 }, { now: () => now });
    const gus = await world.device();
    const blob = await gus.client.upload(chunks(new Uint8Array(100).fill(1)), { size: 100 });
    expect(existsSync(join(world.dir, 'blobs', blob.id))).toBe(true);
    now += 61_000;
    await world.relay.sweep();
    expect(existsSync(join(world.dir, 'blobs', blob.id))).toBe(false);
    await expect(gus.client.download(blob.id, blob.token)).rejects.toMatchObject({
      code: 'RELAY_BLOB_NOT_FOUND',
    });
    expect(await world.relay.store.getBlob(blob.id)).toBeNull();
  });

  it('deletes a blob once every recipient device released it, or when its uploader deletes it', async () => {
    world = await startRelayWorld();
    const hana = await world.device();
    const data = new Uint8Array(randomBytes(1000));
    const shared = await hana.client.upload(chunks(data), {
      size: data.length,
      blob: await hana.client.createBlob(data.length, { recipients: 2 }),
    });
    // A download alone does not count (the relay cannot know it arrived); a release does.
    expect(await readAll(await hana.client.download(shared.id, shared.token))).toEqual(data);
    await hana.client.releaseBlob(shared.id, shared.token);
    expect(await readAll(await hana.client.download(shared.id, shared.token))).toEqual(data);
    await hana.client.releaseBlob(shared.id, shared.token);
    await expect(hana.client.download(shared.id, shared.token)).rejects.toMatchObject({
      code: 'RELAY_BLOB_NOT_FOUND',
    });

    const mine = await hana.client.upload(chunks(data), { size: data.length });
    await hana.client.deleteBlob(mine.id);
    await expect(hana.client.download(mine.id, mine.token)).rejects.toMatchObject({
      code: 'RELAY_BLOB_NOT_FOUND',
    });
  });
});
