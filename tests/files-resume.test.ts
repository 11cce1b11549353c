/**
 * Interrupted uploads resume from the relay's acknowledged offset: after the connection is cut
 * half-way and the relay restarts, and after the app itself quits half-way and starts again.
 * The file arrives with exactly its bytes and nothing is uploaded twice from the start.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { attachmentCiphertextSize } from '../electron/core/crypto';
import { folderFileSaver } from '../electron/core/files/folder-file-saver';
import type { RelayConnector } from '../electron/core/messenger/relay-port';
import { ParleyError } from '../shared/errors';
import { fileInState, sendFile, sha256 } from './support/file-transfer';
import {
  chatBetween,
  conversationWith,
  type MessengerWorld,
  messengerWorld,
  PASSPHRASE,
  type TestClient,
} from './support/messenger-world';

let world: MessengerWorld;
afterEach(async () => {
  await world?.close();
});

const SIZE = 3 * 1024 * 1024;
const TOTAL = attachmentCiphertextSize(SIZE);
const QUICK_RETRIES = { retryMinMs: 50, retryMaxMs: 500 };

/**
 * A connection that is cut once the upload passes half the blob (after the whole file was
 * handed over), and stays down for uploads until `reconnect()`. It records each upload's offset.
 */
function cutHalfway() {
  let handedOver = () => {};
  const staged = new Promise<void>((resolve) => {
    handedOver = resolve;
  });
  let reachedHalf = () => {};
  const half = new Promise<void>((resolve) => {
    reachedHalf = resolve;
  });
  const state = { cut: false, up: true, offsets: [] as number[] };
  const connector = (base: RelayConnector): RelayConnector => ({
    register: (url, args) => base.register(url, args),
    connect(url, args) {
      const connection = base.connect(url, args);
      return {
        ...connection,
        uploadBlob: async (blob, offset, source) => {
          state.offsets.push(offset);
          if (state.cut && !state.up)
            throw new ParleyError('RELAY_UNREACHABLE', 'The test cut the connection.');
          let sent = offset;
          async function* watched() {
            for await (const piece of source) {
              if (!state.cut && sent + piece.length > TOTAL / 2) {
                await staged;
                state.cut = true;
                state.up = false;
                reachedHalf();
                throw new Error('connection cut');
              }
              sent += piece.length;
              yield piece;
            }
          }
          return connection.uploadBlob(blob, offset, watched());
        },
      };
    },
  });
  return {
    connector,
    state,
    half,
    handedOver: () => handedOver(),
    reconnect: () => {
      state.up = true;
    },
  };
}

function heldByRelay(): number {
  const [blob] = readdirSync(join(world.dir, 'blobs')).filter((name) => !name.includes('.'));
  return statSync(join(world.dir, 'blobs', blob!)).size;
}

/** Bob receives the file, saves it, and its bytes are the ones Alice sent. */
async function receiveAndCompare(bob: TestClient, bytes: Uint8Array, messageId: string, saves: string) {
  const bobChat = await conversationWith(bob, 'alice');
  await fileInState(bob, bobChat, messageId, 'downloaded');
  await bob.call('file.save', { messageId });
  expect(sha256(readFileSync(join(saves, 'notes.bin')))).toBe(sha256(bytes));
}

/** Alice sends a file to Bob; her connection to the relay is cut once half of it is uploaded. */
async function uploadCutHalfway() {
  world = await messengerWorld();
  const saves = join(world.dir, 'saved');
  mkdirSync(saves);
  const cut = cutHalfway();
  const alice = await world.client('alice', { connector: cut.connector, files: { tuning: QUICK_RETRIES } });
  const bob = await world.client('bob', { files: { saver: folderFileSaver(saves) } });
  const chat = await chatBetween(alice, bob);
  const bytes = randomBytes(SIZE);
  const id = await sendFile(alice, chat, {
    name: 'notes.bin',
    mimeType: 'application/octet-stream',
    size: SIZE,
    bytes,
  });
  cut.handedOver();
  await cut.half;
  return { saves, cut, alice, bob, chat, bytes, id };
}

it('resumes an upload cut off half-way, across a relay restart, from the offset the relay holds', async () => {
  const { saves, cut, alice, bob, chat, bytes, id } = await uploadCutHalfway();

  await world.stopRelay();
  const held = heldByRelay();
  expect(held).toBeGreaterThan(0);
  expect(held).toBeLessThan(TOTAL);
  const before = cut.state.offsets.length;
  await world.startRelay();
  cut.reconnect();

  await fileInState(alice, chat, id, 'uploaded');
  // After the cut, the upload went on from what the relay held, never from the start.
  expect(cut.state.offsets[0]).toBe(0);
  expect(cut.state.offsets.filter((o) => o === 0)).toHaveLength(1);
  expect(cut.state.offsets.length).toBeGreaterThan(before);
  expect(Math.min(...cut.state.offsets.slice(before))).toBeGreaterThanOrEqual(held);
  await receiveAndCompare(bob, bytes, id, saves);
});

it('resumes an upload after the app quits half-way and starts again', async () => {
  const { saves, cut, alice, bob, chat, bytes, id } = await uploadCutHalfway();

  await alice.stop();
  // The relay writes what it received of the cut-off request once it notices the cut.
  await expect.poll(heldByRelay, { timeout: 10_000 }).toBeGreaterThan(0);
  const held = heldByRelay();
  expect(held).toBeLessThan(TOTAL);
  const before = cut.state.offsets.length;
  cut.reconnect();
  await alice.restart();
  await alice.call('account.unlock', { passphrase: PASSPHRASE });

  await fileInState(alice, chat, id, 'uploaded');
  expect(cut.state.offsets.filter((o) => o === 0)).toHaveLength(1);
  expect(cut.state.offsets.length).toBeGreaterThan(before);
  expect(Math.min(...cut.state.offsets.slice(before))).toBeGreaterThanOrEqual(held);
  await receiveAndCompare(bob, bytes, id, saves);
});
