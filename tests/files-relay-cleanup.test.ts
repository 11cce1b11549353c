/**
 * The relay lets go of attachment blobs as soon as it may: when their uploader deletes them, or
 * when every device they were meant for has fetched them completely (or said it never will).
 * Real relay, real RelayClients.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RelayClient } from '../electron/core/relay-client/relay-client';
import { eventually, type RelayWorld, startRelayWorld } from './support/relay-world';

let world: RelayWorld;
beforeEach(async () => {
  world = await startRelayWorld();
});
afterEach(async () => {
  await world.close();
});

const BYTES = new TextEncoder().encode('ten bytes!');

async function uploaded(client: RelayClient, recipients?: number) {
  const blob = await client.createBlob(BYTES.length, recipients === undefined ? {} : { recipients });
  const status = await client.upload(
    (async function* () {
      yield BYTES;
    })(),
    { size: BYTES.length, blob },
  );
  expect(status.complete).toBe(true);
  return blob;
}

async function fetchAll(
  client: RelayClient,
  id: string,
  token: string,
  range?: { start: number; end: number },
) {
  const download = await client.download(id, token, range);
  return new Uint8Array(await new Response(download.body).arrayBuffer());
}

describe('relay blob clean-up', () => {
  it('deletes a blob once every recipient device fetched it completely', async () => {
    const alice = await world.device();
    const bob = await world.device();
    const blob = await uploaded(alice.client, 2);
    // A partial fetch is not a complete one.
    expect(await fetchAll(bob.client, blob.id, blob.token, { start: 0, end: 4 })).toEqual(
      BYTES.subarray(0, 5),
    );
    expect(await fetchAll(bob.client, blob.id, blob.token)).toEqual(BYTES);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect((await alice.client.blobStatus(blob.id)).complete).toBe(true);
    expect(await fetchAll(bob.client, blob.id, blob.token)).toEqual(BYTES);
    // The relay counts a fetch once its last byte has left: the blob goes right after.
    await eventually(() =>
      alice.client.blobStatus(blob.id).then(
        () => undefined,
        (error: unknown) => error,
      ),
    );
    await expect(fetchAll(bob.client, blob.id, blob.token)).rejects.toMatchObject({
      code: 'RELAY_BLOB_NOT_FOUND',
    });
  });

  it('counts a recipient that releases a blob as one that fetched it', async () => {
    const alice = await world.device();
    const bob = await world.device();
    const blob = await uploaded(alice.client, 1);
    await bob.client.releaseBlob(blob.id, blob.token);
    await expect(alice.client.blobStatus(blob.id)).rejects.toMatchObject({ code: 'RELAY_BLOB_NOT_FOUND' });
    await expect(fetchAll(bob.client, blob.id, blob.token)).rejects.toMatchObject({
      code: 'RELAY_BLOB_NOT_FOUND',
    });
    // A wrong token releases nothing.
    const other = await uploaded(alice.client, 1);
    await expect(bob.client.releaseBlob(other.id, blob.token)).rejects.toMatchObject({
      code: 'RELAY_BLOB_NOT_FOUND',
    });
    expect(await fetchAll(bob.client, other.id, other.token)).toEqual(BYTES);
  });

  it('lets only the uploader delete a blob, and keeps blobs without a recipient count until they expire', async () => {
    const alice = await world.device();
    const mallory = await world.device();
    const blob = await uploaded(alice.client);
    for (let i = 0; i < 3; i++) expect(await fetchAll(mallory.client, blob.id, blob.token)).toEqual(BYTES);
    await expect(mallory.client.deleteBlob(blob.id)).rejects.toMatchObject({ code: 'RELAY_BLOB_NOT_FOUND' });
    await alice.client.deleteBlob(blob.id);
    await expect(fetchAll(mallory.client, blob.id, blob.token)).rejects.toMatchObject({
      code: 'RELAY_BLOB_NOT_FOUND',
    });
    // Deleting twice is harmless; the blob stays gone.
    await expect(alice.client.deleteBlob(blob.id)).rejects.toMatchObject({ code: 'RELAY_BLOB_NOT_FOUND' });
  });
});
