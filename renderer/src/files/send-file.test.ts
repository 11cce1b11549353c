import { describe, expect, it } from 'vitest';
import type { ApiArgs, ApiMethod, FileRulesView, MessageView } from '../../../shared/ipc';
import type { Result } from '../../../shared/result';
import type { Invoke } from '../state/safe-invoke';
import { beginSendingFile, type SendFileDeps, stopHandOver } from './send-file';

const RULES: FileRulesView = {
  maxBytes: 1_000_000,
  blockedExtensions: ['exe'],
  blockedMimeTypes: [],
  allowedExtensions: null,
  allowedMimeTypes: null,
  maxChunkBytes: 1000,
  maxThumbnailBytes: 32 * 1024,
  autoDownloadMaxBytes: 0,
  saveWhileDownloading: false,
};

const message = (id: string): MessageView => ({
  id,
  conversationId: 'c1',
  senderUserId: 'alice',
  outgoing: true,
  kind: 'text',
  text: '',
  sentAt: 1,
  receivedAt: null,
  state: 'sending',
  attachment: null,
});

/**
 * A bridge that answers the file methods as the contract describes them (refusing .exe, taking
 * pieces only in order) and records every call, so the order of calls can be checked.
 */
function fakeBridge(options: { chunkHook?: (offset: number) => void; failChunkAt?: number } = {}) {
  const calls: { method: ApiMethod; args: unknown }[] = [];
  const received: Buffer[] = [];
  let next = 0;
  const invoke = (async (method: ApiMethod, args?: unknown): Promise<Result<unknown>> => {
    calls.push({ method, args });
    switch (method) {
      case 'file.check': {
        const { name, size } = args as ApiArgs<'file.check'>;
        if (name.endsWith('.exe')) {
          return {
            ok: false,
            error: { code: 'FILE_TYPE_BLOCKED', message: 'Files of type .exe are blocked on this device.' },
          };
        }
        if (size > RULES.maxBytes)
          return { ok: false, error: { code: 'FILE_TOO_LARGE', message: 'Too big.' } };
        return { ok: true, value: null };
      }
      case 'file.begin':
        return { ok: true, value: { transferId: 'm1', message: message('m1') } };
      case 'file.chunk': {
        const { offset, data } = args as ApiArgs<'file.chunk'>;
        options.chunkHook?.(offset);
        if (offset === options.failChunkAt) {
          return { ok: false, error: { code: 'UNAVAILABLE', message: 'The disk is full.' } };
        }
        if (offset !== next) return { ok: false, error: { code: 'INVALID_ARGUMENT', message: 'order' } };
        const bytes = Buffer.from(data);
        received.push(bytes);
        next += bytes.length;
        return { ok: true, value: { received: next } };
      }
      case 'file.finish':
        return { ok: true, value: { ...message('m1'), state: 'sending' } };
      case 'file.cancel':
        return { ok: true, value: null };
      default:
        return { ok: false, error: { code: 'IPC_UNKNOWN_METHOD', message: method } };
    }
  }) as Invoke;
  return { invoke, calls, received: () => Buffer.concat(received) };
}

function deps(invoke: Invoke, thumbnails: unknown[] = []): SendFileDeps {
  return {
    invoke,
    rules: async () => ({ ok: true, value: RULES }),
    makeThumbnail: async (_file, mimeType, maxBytes) => {
      thumbnails.push({ mimeType, maxBytes });
      return mimeType === 'image/png' ? 'iVBORw0KGgo=' : null;
    },
    handOvers: new Map(),
  };
}

const bytes = (length: number) => Uint8Array.from({ length }, (_, i) => (i * 31) & 0xff);

describe('beginSendingFile', () => {
  it('refuses a blocked file with its reason before reading or storing anything', async () => {
    const bridge = fakeBridge();
    const thumbnails: unknown[] = [];
    const result = await beginSendingFile(
      deps(bridge.invoke, thumbnails),
      'c1',
      new File([bytes(10)], 'tool.exe', { type: 'application/octet-stream' }),
    );
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.code).toBe('FILE_TYPE_BLOCKED');
    expect(bridge.calls.map((c) => c.method)).toEqual(['file.check']);
    expect(thumbnails).toEqual([]);
  });

  it('checks, begins with the preview, hands the whole file over in order, then finishes', async () => {
    const bridge = fakeBridge();
    const d = deps(bridge.invoke);
    const original = bytes(4500);
    const result = await beginSendingFile(d, 'c1', new File([original], 'photo.png', { type: 'image/png' }));
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.value.message.id).toBe('m1');
    expect(d.handOvers.has('m1')).toBe(true);
    const finished = await result.value.handedOver;
    expect(finished.ok).toBe(true);
    expect(Buffer.compare(bridge.received(), Buffer.from(original))).toBe(0);
    expect(bridge.calls.map((c) => c.method)).toEqual([
      'file.check',
      'file.begin',
      'file.chunk',
      'file.chunk',
      'file.chunk',
      'file.chunk',
      'file.chunk',
      'file.finish',
    ]);
    expect(bridge.calls[1]?.args).toMatchObject({
      conversationId: 'c1',
      name: 'photo.png',
      size: 4500,
      mimeType: 'image/png',
      thumbnail: 'iVBORw0KGgo=',
    });
    expect(d.handOvers.size).toBe(0);
  });

  it('stops handing over when cancelled and never finishes', async () => {
    let d: SendFileDeps | null = null;
    const bridge = fakeBridge({ chunkHook: (offset) => offset === 2000 && stopHandOver(d!.handOvers, 'm1') });
    d = deps(bridge.invoke);
    const result = await beginSendingFile(
      d,
      'c1',
      new File([bytes(9000)], 'notes.txt', { type: 'text/plain' }),
    );
    if (!result.ok) throw new Error('not begun');
    const outcome = await result.value.handedOver;
    expect(outcome.ok).toBe(false);
    if (!outcome.ok) expect(outcome.error.code).toBe('FILE_CANCELLED');
    const methods = bridge.calls.map((c) => c.method);
    expect(methods).not.toContain('file.finish');
    expect(methods.filter((m) => m === 'file.chunk')).toHaveLength(3);
  });

  it('tells the core to drop a file whose hand-over failed, and says why', async () => {
    const bridge = fakeBridge({ failChunkAt: 1000 });
    const result = await beginSendingFile(
      deps(bridge.invoke),
      'c1',
      new File([bytes(3000)], 'a.bin', { type: '' }),
    );
    if (!result.ok) throw new Error('not begun');
    const outcome = await result.value.handedOver;
    expect(outcome).toEqual({ ok: false, error: { code: 'UNAVAILABLE', message: 'The disk is full.' } });
    expect(bridge.calls.at(-1)).toEqual({ method: 'file.cancel', args: { transferId: 'm1' } });
  });

  it('sends an empty file with no pieces at all', async () => {
    const bridge = fakeBridge();
    const result = await beginSendingFile(deps(bridge.invoke), 'c1', new File([], 'empty.txt'));
    if (!result.ok) throw new Error('not begun');
    expect((await result.value.handedOver).ok).toBe(true);
    expect(bridge.calls.map((c) => c.method)).toEqual(['file.check', 'file.begin', 'file.finish']);
  });
});
