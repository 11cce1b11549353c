/**
 * The relay lets go of attachment blobs as soon as it may: when their uploader deletes them, or
 * when every device they were meant for has released them (holding a verified copy, or never
 * going to fetch them).
 * Real relay, real RelayClients.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RelayClient } from '../electron/core/relay-client/relay-client';
import { type RelayWorld, startRelayWorld } from './support/relay-world';

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
  it('deletes a blob once every recipient device released it, not on downloads alone', async () => {
    const alice = await world.device();
    const bob = await world.device();
    const carol = await world.device();
    const blob = await uploaded(alice.client, 2);
    // Downloads, whole or in part, do not count: the relay cannot know they arrived.
    expect(await fetchAll(bob.client, blob.id, blob.token, { start: 0, end: 4 })).toEqual(
      BYTES.subarray(0, 5),
    );
    for (let i = 0; i < 3; i++) expect(await fetchAll(bob.client, blob.id, blob.token)).toEqual(BYTES);
    await bob.client.releaseBlob(blob.id, blob.token);
    expect(await fetchAll(carol.client, blob.id, blob.token)).toEqual(BYTES);
    await carol.client.releaseBlob(blob.id, blob.token);
    await expect(fetchAll(carol.client, blob.id, blob.token)).rejects.toMatchObject({
      code: 'RELAY_BLOB_NOT_FOUND',
    });
    await expect(alice.client.blobStatus(blob.id)).rejects.toMatchObject({ code: 'RELAY_BLOB_NOT_FOUND' });
  });

  it('lets a recipient that will never fetch a blob release it', async () => {
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
