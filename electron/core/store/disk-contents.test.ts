/**
 * THREAT-MODEL.md, "A thief with the laptop, powered off": the files on disk are ciphertext.
 * And deletion is real: with the key, a deleted text is not in the file either.
 */
import { createDecipheriv } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseKey } from './database-key';
import { loadSodium, type Sodium } from './sodium';
import { Store } from './store';
import { messageId, openTempStore } from './test-support';

let sodium: Sodium;
const cleanups: Array<() => void> = [];
beforeAll(async () => {
  sodium = await loadSodium();
});
afterEach(() => {
  for (const cleanup of cleanups.splice(0).reverse()) cleanup();
});

const SQLITE_HEADER = Buffer.from('SQLite format 3\0');

let counter = 1;
function add(store: Store, conversationId: string, text: string) {
  const n = counter++;
  return store.messages.insert({
    id: messageId(n),
    conversationId,
    senderUserId: 'bob',
    outgoing: false,
    kind: 'text',
    text,
    sentAt: n,
    receivedAt: n,
    state: 'delivered',
  })!;
}

function rawFiles(path: string): Buffer[] {
  return ['', '-wal', '-shm'].filter((s) => existsSync(path + s)).map((s) => readFileSync(path + s));
}

/**
 * Decrypts every page of the file on its own, free pages included, to see what it really holds
 * for someone with the key. SQLCipher 4 page format: AES-256-CBC under the raw key (no KDF for a
 * raw key), a 16-byte IV and a 64-byte HMAC in each page's 80 reserved bytes at its end, and the
 * file's 16-byte salt in place of the first 16 bytes of page 1.
 */
function decryptAllPages(file: Buffer, key: DatabaseKey): Buffer {
  const pageSize = 4096;
  const reserve = 80;
  expect(file.length % pageSize).toBe(0);
  const pages: Buffer[] = [];
  for (let offset = 0; offset < file.length; offset += pageSize) {
    const start = offset === 0 ? 16 : 0;
    const page = file.subarray(offset, offset + pageSize);
    const iv = page.subarray(pageSize - reserve, pageSize - reserve + 16);
    const decipher = createDecipheriv('aes-256-cbc', key, iv).setAutoPadding(false);
    pages.push(decipher.update(page.subarray(start, pageSize - reserve)), decipher.final());
  }
  return Buffer.concat(pages);
}

describe('the database files on disk', () => {
  it('show no SQLite header and none of the stored texts, open or closed', () => {
    const { store, path } = (() => {
      const temp = openTempStore(sodium);
      cleanups.push(temp.remove);
      return temp;
    })();
    store.conversations.create({ id: 'c-bob', peerUserId: 'bob', createdAt: 1 });
    store.account.create({
      userId: 'alice',
      deviceId: 1,
      username: 'alice-unique-username',
      displayName: 'Alice Liddell',
      relayUrl: 'http://127.0.0.1:1',
      createdAt: 1,
    });
    const secrets = ['the treasure is under the old oak', 'marmalade-lighthouse-7731', 'Grüße aus Köln'];
    for (const text of secrets) add(store, 'c-bob', text);
    store.settings.set('draft', 'unsent draft about the quarterly numbers');

    const needles = [
      ...secrets,
      'alice-unique-username',
      'Alice Liddell',
      'quarterly numbers',
      'treasure',
      'oak',
    ];
    const check = () => {
      const files = rawFiles(path);
      expect(files.length).toBeGreaterThan(0);
      for (const bytes of files) {
        expect(bytes.subarray(0, 16).equals(SQLITE_HEADER)).toBe(false);
        for (const needle of needles) {
          expect(bytes.includes(Buffer.from(needle, 'utf8')), needle).toBe(false);
          expect(bytes.includes(Buffer.from(needle, 'utf16le')), needle).toBe(false);
        }
      }
    };
    expect(existsSync(`${path}-wal`)).toBe(true);
    check(); // while open: the texts are in the WAL, encrypted
    store.close();
    expect(existsSync(`${path}-wal`)).toBe(false);
    check(); // after close: everything checkpointed into the database file
  });

  it('keep no trace of deleted messages, even for someone who has the key', () => {
    const temp = openTempStore(sodium);
    cleanups.push(temp.remove);
    const { store, path, key } = temp;
    store.conversations.create({ id: 'c-bob', peerUserId: 'bob', createdAt: 1 });
    store.conversations.create({ id: 'c-carol', peerUserId: 'carol', createdAt: 2 });
    for (let i = 0; i < 200; i++) add(store, i % 2 ? 'c-bob' : 'c-carol', `ordinary filler message ${i}`);
    add(store, 'c-bob', 'keepsake-albatross stays');
    const single = add(store, 'c-bob', 'xylophone-quagmire must go');
    add(store, 'c-bob', 'lighthouse-marmalade stays too');
    for (let i = 0; i < 50; i++) add(store, 'c-carol', `zanzibar-periwinkle ${i} must go too`);
    for (let i = 0; i < 50; i++) add(store, 'c-bob', `later filler ${i}`);
    store.close();
    // The positive control: before deletion, the decrypted pages do hold the texts.
    const before = decryptAllPages(readFileSync(path), key);
    for (const text of ['xylophone-quagmire', 'zanzibar-periwinkle', 'keepsake-albatross']) {
      expect(before.includes(text), text).toBe(true);
    }

    const reopened = Store.open(path, key);
    cleanups.push(() => reopened.close());
    // One message amid kept ones: only secure_delete clears its cell from the page.
    expect(reopened.deleteMessage(single.id)).toBe(true);
    // The WAL is scrubbed right away, not at the next checkpoint: no old page images linger.
    expect(statSync(`${path}-wal`).size).toBe(0);
    const afterOne = decryptAllPages(readFileSync(path), key);
    for (const gone of ['xylophone-quagmire', 'xylophone', 'quagmire'])
      expect(afterOne.includes(gone), gone).toBe(false);
    for (const kept of ['keepsake-albatross', 'lighthouse-marmalade', 'zanzibar-periwinkle']) {
      expect(afterOne.includes(kept), kept).toBe(true);
    }

    expect(reopened.deleteConversation('c-carol')).toBe(true);
    expect(statSync(`${path}-wal`).size).toBe(0);
    const afterAll = decryptAllPages(readFileSync(path), key);
    for (const gone of ['zanzibar-periwinkle', 'zanzibar', 'periwinkle'])
      expect(afterAll.includes(gone), gone).toBe(false);
    expect(afterAll.includes('keepsake-albatross')).toBe(true);
  });
});
