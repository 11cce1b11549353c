import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { NewAttachment } from './attachment';
import { loadSodium, type Sodium } from './sodium';
import type { Store } from './store';
import { messageId, openTempStore } from './test-support';

let sodium: Sodium;
const cleanups: (() => void)[] = [];
beforeAll(async () => {
  sodium = await loadSodium();
});
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

function storeWithChat(): Store {
  const temp = openTempStore(sodium);
  cleanups.push(temp.remove);
  temp.store.conversations.create({ id: 'c-bob', peerUserId: 'bob', createdAt: 1 });
  return temp.store;
}

let n = 1;
function fileMessage(store: Store, text = '', overrides: Partial<NewAttachment> = {}): string {
  const id = messageId(n++);
  store.transaction(() => {
    store.messages.insert({
      id,
      conversationId: 'c-bob',
      senderUserId: 'bob',
      outgoing: false,
      kind: 'text',
      text,
      sentAt: n,
      receivedAt: n,
      state: 'delivered',
    });
    store.attachments.insert({
      messageId: id,
      fileName: 'report.pdf',
      mimeType: 'application/pdf',
      size: 1000,
      ciphertextSize: 1042,
      thumbnail: null,
      fileKey: new Uint8Array(32).fill(7),
      ciphertextHash: new Uint8Array(32).fill(9),
      blob: { blobId: 'b'.repeat(22), capabilityToken: 't'.repeat(43), expiresAt: null },
      localFile: null,
      state: 'available',
      updatedAt: n,
      ...overrides,
    });
  });
  return id;
}

describe('attachments in the store', () => {
  it('keeps a file with its message and changes only what is asked', () => {
    const store = storeWithChat();
    const id = fileMessage(store);
    expect(store.attachments.get(id)).toMatchObject({ state: 'available', transferred: 0, error: null });
    store.attachments.update(id, { state: 'downloading', localFile: 'a'.repeat(32) }, 10);
    store.attachments.setTransferred(id, 500, 11);
    store.attachments.update(
      id,
      { state: 'damaged', localFile: null, error: { code: 'FILE_DAMAGED', message: 'x' } },
      12,
    );
    const row = store.attachments.get(id)!;
    expect(row).toMatchObject({ state: 'damaged', localFile: null, transferred: 500, updatedAt: 12 });
    expect(row.error).toEqual({ code: 'FILE_DAMAGED', message: 'x' });
    expect(row.blob?.blobId).toBe('b'.repeat(22));
    expect(store.attachments.unfinished()).toEqual([]);
    expect(() => store.attachments.update(id, { state: 'paused' as never }, 13)).toThrow();
  });

  it('deletes the file (and its key) with its message or its conversation', () => {
    const store = storeWithChat();
    const a = fileMessage(store, '', { localFile: 'a'.repeat(32) });
    const b = fileMessage(store, 'caption', { localFile: 'b'.repeat(32), state: 'downloading' });
    expect(store.attachments.localFiles()).toEqual(new Set(['a'.repeat(32), 'b'.repeat(32)]));
    expect(store.attachments.unfinished().map((r) => r.messageId)).toEqual([b]);
    store.deleteMessage(a);
    expect(store.attachments.get(a)).toBeUndefined();
    expect(store.attachments.forConversation('c-bob').map((r) => r.messageId)).toEqual([b]);
    store.deleteConversation('c-bob');
    expect(store.attachments.get(b)).toBeUndefined();
    expect(store.attachments.localFiles().size).toBe(0);
  });

  it('names a file without a caption in the conversation list, also after a deletion', () => {
    const store = storeWithChat();
    fileMessage(store, '', { fileName: 'first.pdf' });
    expect(store.conversations.get('c-bob')?.lastMessagePreview).toBe('📎 first.pdf');
    const captioned = fileMessage(store, 'see attached', { fileName: 'second.pdf' });
    expect(store.conversations.get('c-bob')?.lastMessagePreview).toBe('see attached');
    store.deleteMessage(captioned);
    expect(store.conversations.get('c-bob')?.lastMessagePreview).toBe('📎 first.pdf');
  });

  it('remembers relay blobs still to clean up, once each', () => {
    const store = storeWithChat();
    store.blobCleanup.add('x'.repeat(22), null, 1);
    store.blobCleanup.add('x'.repeat(22), null, 2);
    store.blobCleanup.add('y'.repeat(22), 't'.repeat(43), 3);
    expect(store.blobCleanup.pending().map((c) => c.blobId)).toEqual(['x'.repeat(22), 'y'.repeat(22)]);
    store.blobCleanup.remove('x'.repeat(22));
    expect(store.blobCleanup.pending()).toEqual([
      { blobId: 'y'.repeat(22), capabilityToken: 't'.repeat(43), createdAt: 3 },
    ]);
  });
});
