/**
 * Files end to end through a real relay, real cores and real encrypted stores, handed over
 * through the contract as the renderer does it (base64 pieces of 256 KiB): what a person would
 * notice is that the file arrives with exactly its bytes, with a preview and progress, and that
 * saving writes exactly those bytes where they chose.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { folderFileSaver } from '../electron/core/files/folder-file-saver';
import type { TransferProgressView } from '../shared/ipc';
import { fileInState, messageOf, sendFile, sha256, sha256OfFile } from './support/file-transfer';
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

const CHUNK = 64 * 1024; // the attachment format's chunk (ATTACHMENT_CHUNK_BYTES)
// A JPEG's first bytes are all the core checks; the renderer makes real ones with a canvas.
const THUMBNAIL = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), randomBytes(300)]);

async function people(options: { relayBlobMaxBytes?: number } = {}) {
  world = await messengerWorld({ relay: { blobMaxBytes: options.relayBlobMaxBytes ?? 256 * 1024 * 1024 } });
  const saves = join(world.dir, 'saved');
  mkdirSync(saves);
  const alice = await world.client('alice');
  const bob = await world.client('bob', { files: { saver: folderFileSaver(saves) } });
  const chat = await chatBetween(alice, bob);
  return { alice, bob, chat, saves };
}

function progressOf(client: TestClient, messageId: string): TransferProgressView[] {
  return client.events
    .filter((e) => e.event === 'transfer.progress')
    .map((e) => e.payload as TransferProgressView)
    .filter((p) => p.messageId === messageId);
}

describe('sending and receiving files', () => {
  it('carries files of 0, 1, 65,536 and 65,537 bytes with identical bytes, a preview and progress', async () => {
    const { alice, bob, chat, saves } = await people();
    const files = [0, 1, CHUNK, CHUNK + 1].map((size, i) => ({
      name: `file-${size}.bin`,
      mimeType: 'application/octet-stream',
      size,
      bytes: randomBytes(size),
      ...(i === 2 ? { thumbnail: THUMBNAIL.toString('base64'), text: 'the one with a preview' } : {}),
    }));
    const ids: string[] = [];
    for (const file of files) ids.push(await sendFile(alice, chat, file));
    for (const id of ids) await fileInState(alice, chat, id, 'uploaded');

    const bobChat = await conversationWith(bob, 'alice');
    for (const [i, file] of files.entries()) {
      // Small files download by themselves (below the default automatic size).
      const attachment = await fileInState(bob, bobChat, ids[i]!, 'downloaded');
      expect(attachment).toMatchObject({ fileName: file.name, size: file.size, bytesDone: file.size });
      const saved = await bob.call('file.save', { messageId: ids[i]! });
      expect(saved).toEqual({ outcome: 'saved', fileName: file.name, url: null });
      expect(sha256(readFileSync(join(saves, file.name)))).toBe(sha256(file.bytes));
    }
    const withPreview = await messageOf(bob, bobChat, ids[2]!);
    expect(withPreview?.text).toBe('the one with a preview');
    expect(withPreview?.attachment?.thumbnail).toBe(`data:image/jpeg;base64,${THUMBNAIL.toString('base64')}`);
    expect((await bob.call('conversation.list'))[0]?.lastMessagePreview).toBe('📎 file-65537.bin');

    // Progress reached both people as events, ending in a final state.
    expect(progressOf(alice, ids[3]!).at(-1)).toMatchObject({
      direction: 'upload',
      state: 'uploaded',
      bytesDone: CHUNK + 1,
      bytesTotal: CHUNK + 1,
    });
    expect(progressOf(bob, ids[3]!).at(-1)).toMatchObject({ direction: 'download', state: 'downloaded' });
    // Saving a file that is there already gets a new name, never overwriting the first.
    expect(await bob.call('file.save', { messageId: ids[1]! })).toMatchObject({ fileName: 'file-1 (1).bin' });
  });

  it('carries a 100 MiB file, handed over in 400 pieces, and saves exactly its bytes', async () => {
    const { alice, bob, chat, saves } = await people();
    const source = join(world.dir, 'big.bin');
    const size = 100 * 1024 * 1024;
    const piece = randomBytes(1024 * 1024);
    writeFileSync(
      source,
      Buffer.concat(
        Array.from({ length: 100 }, (_, i) => Buffer.concat([piece.subarray(i), piece.subarray(0, i)])),
      ),
    );
    const id = await sendFile(alice, chat, {
      name: 'big.bin',
      mimeType: 'application/octet-stream',
      size,
      path: source,
    });
    await fileInState(alice, chat, id, 'uploaded', 60_000);

    const bobChat = await conversationWith(bob, 'alice');
    // Above the automatic size: it waits for Bob.
    expect((await fileInState(bob, bobChat, id, 'available')).size).toBe(size);
    await bob.call('file.download', { messageId: id });
    await fileInState(bob, bobChat, id, 'downloaded', 60_000);
    await bob.call('file.save', { messageId: id });
    expect(await sha256OfFile(join(saves, 'big.bin'))).toBe(await sha256OfFile(source));
    // Bob's only device fetched it: the relay deleted the blob.
    await bob.until('the relay to let go of the blob', () =>
      readdirSync(join(world.dir, 'blobs')).length === 0 ? true : undefined,
    );
    // Bob's copy stays encrypted: the folder holds no plaintext of it.
    const [copy] = readdirSync(join(bob.dataDir, 'account', 'files'));
    const head = readFileSync(join(bob.dataDir, 'account', 'files', copy!)).subarray(0, 1 << 20);
    expect(head.includes(piece.subarray(1000, 1064))).toBe(false);
  });

  it('saves a file not downloaded yet in one pass: downloaded, checked, decrypted where Bob chose', async () => {
    const { alice, bob, chat, saves } = await people();
    await bob.call('file.setAutoDownload', { maxBytes: 0 });
    // Bob's saver writes before it answers, so his app offers "Save as…" before any download;
    // Alice has no saver here (as a window that cannot save), so hers does not.
    expect((await bob.call('file.rules')).saveWhileDownloading).toBe(true);
    expect((await alice.call('file.rules')).saveWhileDownloading).toBe(false);
    const bytes = randomBytes(3 * 1024 * 1024 + 5);
    const id = await sendFile(alice, chat, {
      name: 'scan.pdf',
      mimeType: 'application/pdf',
      size: bytes.length,
      bytes,
    });
    const bobChat = await conversationWith(bob, 'alice');
    await fileInState(bob, bobChat, id, 'available');

    expect(await bob.call('file.save', { messageId: id })).toEqual({
      outcome: 'saved',
      fileName: 'scan.pdf',
      url: null,
    });
    expect(sha256(readFileSync(join(saves, 'scan.pdf')))).toBe(sha256(bytes));
    // The download happened on the way, with its progress, and left the encrypted copy.
    expect(progressOf(bob, id).some((p) => p.direction === 'download' && p.bytesDone > 0)).toBe(true);
    expect((await messageOf(bob, bobChat, id))?.attachment?.state).toBe('downloaded');
    const [copy] = readdirSync(join(bob.dataDir, 'account', 'files'));
    expect(
      readFileSync(join(bob.dataDir, 'account', 'files', copy!)).includes(bytes.subarray(5000, 5064)),
    ).toBe(false);
    await bob.until('the relay to let go of the blob', () =>
      readdirSync(join(world.dir, 'blobs')).length === 0 ? true : undefined,
    );
    // Saved again later, from that copy.
    expect(await bob.call('file.save', { messageId: id })).toMatchObject({ fileName: 'scan (1).pdf' });
    expect(sha256(readFileSync(join(saves, 'scan (1).pdf')))).toBe(sha256(bytes));
  });
});
