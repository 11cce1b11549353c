/**
 * Cancelling: a file being sent is removed altogether (its message, its encrypted copy, its
 * relay blob), also when the app stops handing it over; a download stops, keeps nothing, and
 * can be started again.
 */
import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { afterEach, expect, it } from 'vitest';
import type { RelayConnector } from '../electron/core/messenger/relay-port';
import type { TransferProgressView } from '../shared/ipc';
import { copiesOf, fileInState, messageOf, relayBlobFiles, sendFile } from './support/file-transfer';
import {
  chatBetween,
  conversationWith,
  type MessengerWorld,
  messengerWorld,
  type TestClient,
} from './support/messenger-world';

let world: MessengerWorld;
afterEach(async () => {
  await world?.close();
});

const blobFiles = () => relayBlobFiles(world.dir);
const removed = (client: TestClient, id: string) =>
  client.until('the message to be removed', () =>
    client.events.some((e) => e.event === 'message.removed' && (e.payload as { id: string }).id === id)
      ? true
      : undefined,
  );

it('removes a file cancelled while it is handed over, and one the app stops handing over', async () => {
  world = await messengerWorld();
  const alice = await world.client('alice', { files: { tuning: { stagingIdleMs: 300 } } });
  const bob = await world.client('bob');
  const chat = await chatBetween(alice, bob);
  const begin = () =>
    alice.call('file.begin', {
      conversationId: chat,
      name: 'draft.txt',
      size: 1_000_000,
      mimeType: 'text/plain',
      thumbnail: null,
    });
  const piece = new Uint8Array(randomBytes(100_000));

  const first = await begin();
  await alice.call('file.chunk', { transferId: first.transferId, offset: 0, data: piece });
  expect(copiesOf(alice)).toHaveLength(1);
  await alice.call('file.cancel', { transferId: first.transferId });
  await removed(alice, first.transferId);
  expect(await messageOf(alice, chat, first.transferId)).toBeUndefined();
  expect(copiesOf(alice)).toEqual([]);
  await expect(
    alice.call('file.chunk', { transferId: first.transferId, offset: 100_000, data: piece }),
  ).rejects.toMatchObject({ code: 'NOT_FOUND' });
  await alice.until('the relay to delete the blob', () => (blobFiles().length === 0 ? true : undefined));

  // Out of order: refused, and the file goes on from where it was.
  const second = await begin();
  await expect(
    alice.call('file.chunk', { transferId: second.transferId, offset: 5, data: piece }),
  ).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  await alice.call('file.chunk', { transferId: second.transferId, offset: 0, data: piece });
  // Then the app goes quiet (a closed window): the file is dropped after the idle time.
  await removed(alice, second.transferId);
  expect(copiesOf(alice)).toEqual([]);
});

it('stops a download on cancel, keeps nothing of it, and downloads again on request', async () => {
  world = await messengerWorld();
  let stall = true;
  // Bob's network delivers the first piece of a download and then nothing, while `stall` holds.
  const slow = (base: RelayConnector): RelayConnector => ({
    register: (url, args) => base.register(url, args),
    connect(url, args) {
      const connection = base.connect(url, args);
      return {
        ...connection,
        downloadBlob: async (id, token, start) => {
          const download = await connection.downloadBlob(id, token, start);
          if (!stall) return download;
          const source = download.body;
          let sent = false;
          const body = new Readable({
            read() {
              if (sent) return; // and never more, while the connection stays open
              sent = true;
              source.once('data', (first: Buffer) => {
                source.pause();
                this.push(first);
              });
            },
            destroy(error, callback) {
              source.destroy();
              callback(error);
            },
          });
          return { ...download, body };
        },
      };
    },
  });
  const alice = await world.client('alice');
  const bob = await world.client('bob', { connector: slow });
  await bob.call('file.setAutoDownload', { maxBytes: 0 });
  const chat = await chatBetween(alice, bob);
  const bytes = randomBytes(2_000_000);
  const id = await sendFile(alice, chat, {
    name: 'data.bin',
    mimeType: 'application/octet-stream',
    size: bytes.length,
    bytes,
  });
  const bobChat = await conversationWith(bob, 'alice');
  await fileInState(bob, bobChat, id, 'available');

  await bob.call('file.download', { messageId: id });
  await bob.until('some progress', () =>
    bob.events.some(
      (e) =>
        e.event === 'transfer.progress' &&
        (e.payload as TransferProgressView).messageId === id &&
        (e.payload as TransferProgressView).bytesDone > 0,
    )
      ? true
      : undefined,
  );
  await bob.call('file.cancel', { transferId: id });
  expect((await fileInState(bob, bobChat, id, 'available')).bytesDone).toBe(0);
  expect(copiesOf(bob)).toEqual([]);

  stall = false;
  await bob.call('file.download', { messageId: id });
  expect((await fileInState(bob, bobChat, id, 'downloaded')).size).toBe(bytes.length);
  expect(copiesOf(bob)).toHaveLength(1);
});
