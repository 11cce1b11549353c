/**
 * Files and the threat model: a blob altered on the relay (THREAT-MODEL, the relay operator) or a
 * copy altered on disk shows as damaged and nothing of it is kept; files over the limit or of a
 * blocked type are refused with their reason before anything is uploaded (malicious content,
 * managed rules); deleting a message or a conversation deletes the file's key, its encrypted
 * copy and its relay blob (crypto-shredding).
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadSodium } from '../electron/core/crypto';
import { DEFAULT_FILE_POLICY } from '../electron/core/files/file-policy';
import { folderFileSaver } from '../electron/core/files/folder-file-saver';
import { minimumLimits, openAccountStore } from '../electron/core/store';
import { copiesOf, fileInState, messageOf, relayBlobFiles, sendFile } from './support/file-transfer';
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

const blobFiles = () => relayBlobFiles(world.dir);

function savesFolder(): string {
  const saves = join(world.dir, 'saved');
  mkdirSync(saves, { recursive: true });
  return saves;
}

function pdf(size = 300_000) {
  return { name: 'report.pdf', mimeType: 'application/pdf', size, bytes: randomBytes(size) };
}

/**
 * Alice sends a PDF that Bob has not downloaded; then the relay's operator flips one bit of the
 * stored blob at `offset`.
 */
async function blobAlteredOnTheRelay(offset: number) {
  world = await messengerWorld();
  const saves = savesFolder();
  const alice = await world.client('alice');
  const bob = await world.client('bob', { files: { saver: folderFileSaver(saves) } });
  await bob.call('file.setAutoDownload', { maxBytes: 0 });
  const chat = await chatBetween(alice, bob);
  const id = await sendFile(alice, chat, pdf());
  await fileInState(alice, chat, id, 'uploaded');
  const bobChat = await conversationWith(bob, 'alice');
  await fileInState(bob, bobChat, id, 'available');
  const [blob] = blobFiles();
  const path = join(world.dir, 'blobs', blob!);
  const bytes = readFileSync(path);
  bytes[offset]! ^= 0x01;
  writeFileSync(path, bytes);
  return { bob, bobChat, id, saves };
}

describe('damaged files', () => {
  it('shows a blob altered on the relay as damaged, and keeps nothing of it', async () => {
    const { bob, bobChat, id, saves } = await blobAlteredOnTheRelay(150_000);
    await bob.call('file.download', { messageId: id });
    const damaged = await fileInState(bob, bobChat, id, 'damaged');
    expect(damaged.error?.code).toBe('FILE_DAMAGED');
    expect(copiesOf(bob)).toEqual([]);
    await expect(bob.call('file.save', { messageId: id })).rejects.toMatchObject({ code: 'FILE_DAMAGED' });
    expect(readdirSync(saves)).toEqual([]);
  });

  it('refuses a blob altered on the relay when saved straight away, and keeps nothing of it', async () => {
    const { bob, bobChat, id, saves } = await blobAlteredOnTheRelay(200_000);
    // "Save as" before any download: decrypted as it downloads, refused at the altered chunk.
    await expect(bob.call('file.save', { messageId: id })).rejects.toMatchObject({ code: 'FILE_DAMAGED' });
    expect(readdirSync(saves)).toEqual([]);
    expect((await fileInState(bob, bobChat, id, 'damaged')).error?.code).toBe('FILE_DAMAGED');
    expect(copiesOf(bob)).toEqual([]);
  });

  it('refuses to save a copy altered on disk, leaving no partial file behind', async () => {
    world = await messengerWorld();
    const saves = savesFolder();
    const alice = await world.client('alice');
    const bob = await world.client('bob', { files: { saver: folderFileSaver(saves) } });
    const chat = await chatBetween(alice, bob);
    const id = await sendFile(alice, chat, pdf(1_000_000));
    const bobChat = await conversationWith(bob, 'alice');
    await fileInState(bob, bobChat, id, 'downloaded');

    const [copy] = copiesOf(bob);
    const path = join(bob.dataDir, 'account', 'files', copy!);
    const bytes = readFileSync(path);
    bytes[900_000]! ^= 0x80;
    writeFileSync(path, bytes);

    await expect(bob.call('file.save', { messageId: id })).rejects.toMatchObject({ code: 'FILE_DAMAGED' });
    expect(readdirSync(saves)).toEqual([]);
    expect((await fileInState(bob, bobChat, id, 'damaged')).error?.code).toBe('FILE_DAMAGED');
    expect(copiesOf(bob)).toEqual([]);
  });
});

describe('file rules', () => {
  it('refuses files over the limit or of a blocked type with the reason, before anything is uploaded', async () => {
    world = await messengerWorld({ relay: { blobMaxBytes: 1_500_000 } });
    const alice = await world.client('alice', { files: { policy: { maxBytes: 1_000_000 } } });
    const carol = await world.client('carol');
    const bob = await world.client('bob', { files: { policy: { allowedExtensions: ['png', 'jpg'] } } });
    const chat = await chatBetween(alice, bob);
    const begin = (client: TestClient, conversationId: string, name: string, size: number, mimeType = '') =>
      client.call('file.begin', { conversationId, name, size, mimeType, thumbnail: null });

    const tooLarge = { name: 'big.zip', size: 2_000_000, mimeType: 'application/zip' };
    await expect(alice.call('file.check', tooLarge)).rejects.toMatchObject({
      code: 'FILE_TOO_LARGE',
      message: 'This file is 2 MB; files up to 1 MB can be shared.',
    });
    await expect(begin(alice, chat, 'big.zip', 2_000_000)).rejects.toMatchObject({ code: 'FILE_TOO_LARGE' });
    for (const name of ['setup.exe', 'invoice.pdf.EXE', 'run.bat.', 'photo\u202egpj.exe', 'tool.jar']) {
      await expect(begin(alice, chat, name, 10)).rejects.toMatchObject({
        code: 'FILE_TYPE_BLOCKED',
        message: expect.stringContaining('blocked on this device'),
      });
    }
    await expect(begin(alice, chat, 'tool.bin', 10, 'application/x-msdownload')).rejects.toMatchObject({
      code: 'FILE_TYPE_BLOCKED',
    });
    // The relay's own limit is smaller than Carol's: refused as well, before anything is sent.
    const carolChat = await chatBetween(carol, bob);
    await expect(begin(carol, carolChat, 'scan.png', 1_600_000, 'image/png')).rejects.toMatchObject({
      code: 'FILE_TOO_LARGE',
      message: expect.stringContaining('The relay refused this file'),
    });
    expect(
      (await alice.call('conversation.messages', { conversationId: chat, before: null, limit: 50 })).messages,
    ).toEqual([]);
    expect(blobFiles()).toEqual([]);
    expect(await alice.call('file.rules')).toMatchObject({
      maxBytes: 1_000_000,
      blockedExtensions: expect.arrayContaining(['exe', 'msi', 'js', 'dmg']),
    });

    // Bob's rules allow pictures only: Carol's PDF shows as blocked and is never fetched.
    const id = await sendFile(carol, carolChat, pdf(1000));
    const bobChat = await conversationWith(bob, 'carol');
    const blocked = await fileInState(bob, bobChat, id, 'blocked');
    expect(blocked.error?.code).toBe('FILE_TYPE_BLOCKED');
    await expect(bob.call('file.download', { messageId: id })).rejects.toMatchObject({
      code: 'FILE_TYPE_BLOCKED',
    });
    expect(copiesOf(bob)).toEqual([]);
    expect(DEFAULT_FILE_POLICY.maxBytes).toBe(2 * 1024 ** 3);
  });
});

describe('deleting files (crypto-shredding)', () => {
  it('deletes the key, the encrypted copy and the relay blob with the message, on either side', async () => {
    world = await messengerWorld();
    const alice = await world.client('alice');
    const bob = await world.client('bob');
    await bob.call('file.setAutoDownload', { maxBytes: 0 });
    const chat = await chatBetween(alice, bob);
    const first = await sendFile(alice, chat, pdf());
    const second = await sendFile(alice, chat, { ...pdf(), name: 'second.pdf' });
    await fileInState(alice, chat, first, 'uploaded');
    await fileInState(alice, chat, second, 'uploaded');
    const bobChat = await conversationWith(bob, 'alice');
    await fileInState(bob, bobChat, second, 'available');
    expect(blobFiles()).toHaveLength(2);
    expect(copiesOf(alice)).toHaveLength(2);

    // The sender deletes the first: its copy and its blob go, and Bob can no longer fetch it.
    await alice.call('message.delete', { messageId: first });
    expect(await messageOf(alice, chat, first)).toBeUndefined();
    expect(alice.events.some((e) => e.event === 'message.removed')).toBe(true);
    expect(copiesOf(alice)).toHaveLength(1);
    await alice.until('the relay to delete the blob', () => (blobFiles().length === 1 ? true : undefined));
    await bob.call('file.download', { messageId: first });
    expect((await fileInState(bob, bobChat, first, 'unavailable')).error?.code).toBe('FILE_UNAVAILABLE');

    // The recipient deletes the second without fetching it: the relay is told, and lets it go.
    await bob.call('message.delete', { messageId: second });
    await bob.until('the relay to release the blob', () => (blobFiles().length === 0 ? true : undefined));

    // A conversation deleted with a downloaded file in it leaves no copy behind.
    const third = await sendFile(alice, chat, { ...pdf(), name: 'third.pdf' });
    await fileInState(bob, bobChat, third, 'available');
    await bob.call('file.download', { messageId: third });
    await fileInState(bob, bobChat, third, 'downloaded');
    expect(copiesOf(bob)).toHaveLength(1);
    await bob.call('conversation.delete', { conversationId: bobChat });
    expect(copiesOf(bob)).toEqual([]);
    expect(await bob.call('conversation.list')).toEqual([]);

    // In Alice's database, the deleted file's row (and with it its key) is gone.
    await alice.stop();
    const sodium = await loadSodium();
    const store = await openAccountStore({
      dir: join(alice.dataDir, 'account'),
      sodium,
      pwhashLimits: minimumLimits(sodium),
      credential: { passphrase: PASSPHRASE },
    });
    try {
      expect(store.attachments.get(first)).toBeUndefined();
      expect(store.attachments.get(second)?.state).toBe('uploaded');
      expect(store.blobCleanup.pending()).toEqual([]);
    } finally {
      store.close();
    }
  });
});
