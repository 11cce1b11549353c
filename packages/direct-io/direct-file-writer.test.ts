import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DirectFileWriter, MAX_UNWRITTEN_BYTES } from './direct-file-writer';

const MiB = 1024 * 1024;
let dir: string;
let n = 0;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'parley-direct-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

function nextPath(): string {
  return join(dir, `file-${n++}`);
}

/** Splits `bytes` into pieces of the given lengths (the last piece takes the rest). */
function pieces(bytes: Uint8Array, lengths: number[]): Uint8Array[] {
  const out: Uint8Array[] = [];
  let at = 0;
  for (const length of lengths) {
    if (at >= bytes.length) break;
    out.push(bytes.subarray(at, at + length));
    at += length;
  }
  if (at < bytes.length) out.push(bytes.subarray(at));
  return out;
}

describe.each([
  ['around the page cache where the system allows', true],
  ['through the page cache', false],
])('DirectFileWriter %s', (_name, direct) => {
  it.each([0, 1, 4095, 4096, 4097, MiB - 1, MiB, MiB + 1, 3 * MiB + 12_345])(
    'writes exactly the %i bytes it was given',
    async (size) => {
      const bytes = randomBytes(size);
      const path = nextPath();
      const writer = await DirectFileWriter.open(path, { flags: 'wx', direct });
      await writer.append(pieces(bytes, [1, 4095, 70_000, 2 * MiB, 17]));
      expect(writer.size).toBe(size);
      await writer.close();
      expect(readFileSync(path).equals(bytes)).toBe(true);
    },
  );

  it('keeps the bytes whatever the pieces and flushes in between', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 3 * MiB }),
        fc.array(fc.integer({ min: 1, max: 1.5 * MiB }), { maxLength: 12 }),
        fc.array(fc.integer({ min: 0, max: 11 }), { maxLength: 3 }),
        async (size, lengths, flushAfter) => {
          const bytes = randomBytes(size);
          const path = nextPath();
          const writer = await DirectFileWriter.open(path, { flags: 'wx', direct });
          const parts = pieces(bytes, lengths);
          for (const [i, part] of parts.entries()) {
            await writer.append([part]);
            if (flushAfter.includes(i)) {
              await writer.flush();
              // What a flush promises: the file holds every byte appended so far.
              expect(statSync(path).size).toBe(writer.size);
            }
          }
          await writer.sync();
          await writer.close();
          expect(readFileSync(path).equals(bytes)).toBe(true);
          rmSync(path);
        },
      ),
      { numRuns: 25 },
    );
  });

  it('continues a file whose length is not a whole block', async () => {
    const path = nextPath();
    const start = randomBytes(MiB + 1234);
    writeFileSync(path, start);
    const more = randomBytes(2 * MiB + 99);
    const writer = await DirectFileWriter.open(path, { flags: 'a', direct });
    expect(writer.size).toBe(start.length);
    await writer.append([more]);
    await writer.close();
    expect(readFileSync(path).equals(Buffer.concat([start, more]))).toBe(true);
  });

  it('never overwrites a file that exists when asked for a new one', async () => {
    const path = nextPath();
    writeFileSync(path, 'keep me');
    await expect(DirectFileWriter.open(path, { flags: 'wx', direct })).rejects.toMatchObject({
      code: 'EEXIST',
    });
    expect(readFileSync(path, 'utf8')).toBe('keep me');
  });

  it('leaves at most MAX_UNWRITTEN_BYTES outside the file while appending', async () => {
    const path = nextPath();
    const writer = await DirectFileWriter.open(path, { flags: 'wx', direct });
    for (let i = 0; i < 9; i++) {
      await writer.append([randomBytes(700_000)]);
      expect(writer.size - statSync(path).size).toBeLessThanOrEqual(MAX_UNWRITTEN_BYTES);
    }
    await writer.close();
    expect(statSync(path).size).toBe(9 * 700_000);
  });
});

it('reports a full disk as ENOSPC, not as a short file', async (context) => {
  // Linux's /dev/full refuses every write with ENOSPC, as a full disk does.
  if (process.platform !== 'linux') context.skip();
  const writer = await DirectFileWriter.open('/dev/full', { flags: 'a' });
  await writer.append([randomBytes(3 * MiB)]).catch(() => {});
  await expect(writer.close()).rejects.toMatchObject({ code: 'ENOSPC' });
});
