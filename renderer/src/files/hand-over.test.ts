import { describe, expect, it } from 'vitest';
import type { Result } from '../../../shared/result';
import { handOver } from './hand-over';

/** What the core would assemble from the pieces, with its own in-order check. */
function receiver(options: { failAt?: number } = {}) {
  const pieces: { offset: number; bytes: Buffer }[] = [];
  let received = 0;
  let inFlight = 0;
  let maxInFlight = 0;
  const send = async (offset: number, data: string): Promise<Result<{ received: number }>> => {
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    await new Promise((r) => setTimeout(r, 1));
    inFlight--;
    if (offset !== received) {
      return { ok: false, error: { code: 'INVALID_ARGUMENT', message: 'out of order' } };
    }
    if (options.failAt !== undefined && offset >= options.failAt) {
      return { ok: false, error: { code: 'UNAVAILABLE', message: "Couldn't keep the file." } };
    }
    const bytes = Buffer.from(data, 'base64');
    pieces.push({ offset, bytes });
    received += bytes.length;
    return { ok: true, value: { received } };
  };
  return {
    send,
    pieces,
    bytes: () => Buffer.concat(pieces.map((p) => p.bytes)),
    maxInFlight: () => maxInFlight,
  };
}

function fileOf(length: number): { blob: Blob; bytes: Uint8Array } {
  const bytes = new Uint8Array(length);
  for (let i = 0; i < length; i++) bytes[i] = (i * 7 + (i >> 8)) & 0xff;
  return { blob: new Blob([bytes]), bytes };
}

describe('handOver', () => {
  for (const length of [0, 1, 1000, 1024, 1025, 10_000]) {
    it(`hands over ${length} bytes in order, in pieces of at most the chunk size`, async () => {
      const { blob, bytes } = fileOf(length);
      const core = receiver();
      const progress: number[] = [];
      const result = await handOver(blob, {
        chunkBytes: 1024,
        signal: new AbortController().signal,
        send: core.send,
        onHandedOver: (n) => progress.push(n),
      });
      expect(result).toEqual({ ok: true, value: null });
      expect(Buffer.compare(core.bytes(), Buffer.from(bytes))).toBe(0);
      expect(core.pieces.every((p) => p.bytes.length <= 1024 && p.bytes.length > 0)).toBe(true);
      expect(core.pieces).toHaveLength(Math.ceil(length / 1024));
      expect(progress.at(-1) ?? 0).toBe(length);
      expect(core.maxInFlight()).toBeLessThanOrEqual(3);
    });
  }

  it('keeps at most the given number of pieces on their way, and one at a time when asked', async () => {
    for (const window of [1, 2, 4]) {
      const { blob } = fileOf(20_000);
      const core = receiver();
      const result = await handOver(blob, {
        chunkBytes: 1000,
        piecesInFlight: window,
        signal: new AbortController().signal,
        send: core.send,
      });
      expect(result.ok).toBe(true);
      expect(core.maxInFlight()).toBe(window);
    }
  });

  it('stops at the next piece once cancelled, and says so', async () => {
    const { blob } = fileOf(10_000);
    const core = receiver();
    const controller = new AbortController();
    const result = await handOver(blob, {
      chunkBytes: 1000,
      signal: controller.signal,
      send: async (offset, data) => {
        if (offset === 3000) controller.abort();
        return core.send(offset, data);
      },
    });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.code).toBe('FILE_CANCELLED');
    // What was already on its way arrives; nothing is read or sent after the cancel.
    expect(core.pieces.map((p) => p.offset)).toEqual([0, 1000, 2000, 3000]);
  });

  it("passes the core's refusal on and sends nothing more", async () => {
    const { blob } = fileOf(5000);
    const core = receiver({ failAt: 2000 });
    const result = await handOver(blob, {
      chunkBytes: 1000,
      signal: new AbortController().signal,
      send: core.send,
    });
    expect(result).toEqual({ ok: false, error: { code: 'UNAVAILABLE', message: "Couldn't keep the file." } });
    // The pieces before the refused one were kept; none after it was (the core refuses them too).
    expect(core.pieces).toHaveLength(2);
  });

  it('reports a file that cannot be read as FILE_UNREADABLE', async () => {
    const broken = {
      size: 3000,
      slice: () => ({ arrayBuffer: () => Promise.reject(new Error('NotReadableError')) }),
    } as unknown as Blob;
    const core = receiver();
    const result = await handOver(broken, {
      chunkBytes: 1000,
      signal: new AbortController().signal,
      send: core.send,
    });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.code).toBe('FILE_UNREADABLE');
    expect(core.pieces).toHaveLength(0);
  });
});
