/**
 * Helpers for file tests: hand a file to a core through the contract exactly as the renderer
 * does (file.begin, base64 file.chunk pieces of at most 256 KiB, file.finish), and look at a
 * message's file as the UI sees it.
 */
import { createHash } from 'node:crypto';
import { createReadStream, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { AttachmentView, MessageView } from '../../shared/ipc';
import { MAX_FILE_CHUNK_BYTES } from '../../shared/ipc-schemas';
import type { TestClient } from './messenger-world';

export interface OutgoingFile {
  readonly name: string;
  readonly mimeType: string;
  readonly size: number;
  /** The bytes, or a file to read them from (for large files). */
  readonly bytes?: Uint8Array;
  readonly path?: string;
  readonly thumbnail?: string | null;
  readonly text?: string;
}

async function* pieces(file: OutgoingFile): AsyncGenerator<Uint8Array> {
  if (file.path) {
    for await (const piece of createReadStream(file.path, { highWaterMark: MAX_FILE_CHUNK_BYTES })) {
      yield piece as Buffer;
    }
    return;
  }
  const bytes = file.bytes ?? new Uint8Array(0);
  for (let offset = 0; offset < bytes.length; offset += MAX_FILE_CHUNK_BYTES) {
    yield bytes.subarray(offset, offset + MAX_FILE_CHUNK_BYTES);
  }
}

/** Hands the whole file over; resolves with the message id once file.finish returned. */
export async function sendFile(
  client: TestClient,
  conversationId: string,
  file: OutgoingFile,
  options: { afterBegin?: (messageId: string) => void } = {},
): Promise<string> {
  const begun = await client.call('file.begin', {
    conversationId,
    name: file.name,
    size: file.size,
    mimeType: file.mimeType,
    thumbnail: file.thumbnail ?? null,
    ...(file.text !== undefined ? { text: file.text } : {}),
  });
  options.afterBegin?.(begun.transferId);
  let offset = 0;
  for await (const piece of pieces(file)) {
    await client.call('file.chunk', { transferId: begun.transferId, offset, data: Uint8Array.from(piece) });
    offset += piece.length;
  }
  await client.call('file.finish', { transferId: begun.transferId });
  return begun.transferId;
}

export async function messageOf(
  client: TestClient,
  conversationId: string,
  messageId: string,
): Promise<MessageView | undefined> {
  const page = await client.call('conversation.messages', { conversationId, before: null, limit: 200 });
  return page.messages.find((m) => m.id === messageId);
}

/** Waits until the message's file is in `state` (failing early if it lands in another final one). */
export function fileInState(
  client: TestClient,
  conversationId: string,
  messageId: string,
  state: AttachmentView['state'],
  timeoutMs = 30_000,
): Promise<AttachmentView> {
  return client.until(
    `file ${messageId.slice(0, 6)} ${state}`,
    async () => {
      const attachment = (await messageOf(client, conversationId, messageId))?.attachment;
      return attachment?.state === state ? attachment : undefined;
    },
    timeoutMs,
  );
}

export function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

export async function sha256OfFile(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** The blobs a relay with its data in `relayDir` holds (not their `.fetches` countdowns). */
export function relayBlobFiles(relayDir: string): string[] {
  return readdirSync(join(relayDir, 'blobs')).filter((name) => !name.includes('.'));
}

/** The encrypted copies in a client's files folder. */
export function copiesOf(client: TestClient): string[] {
  return readdirSync(join(client.dataDir, 'account', 'files'));
}
