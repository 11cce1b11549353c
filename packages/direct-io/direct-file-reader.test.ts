import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DirectFileReader } from './direct-file-reader';

const PIECE = 256 * 1024;
let dir: string;
let path: string;
const bytes = randomBytes(3 * PIECE + 5_000);

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'parley-direct-read-'));
  path = join(dir, 'blob');
  writeFileSync(path, bytes);
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe.each([
  ['around the page cache where the system allows', true],
  ['through the page cache', false],
])('DirectFileReader %s', (_name, direct) => {
  it('reads any range, from any offset, exactly as the file holds it', async () => {
    const reader = await DirectFileReader.open(path, { direct });
    const [buffer] = DirectFileReader.readBuffers(1, PIECE);
    try {
      await fc.assert(
        fc.asyncProperty(
          fc.integer({ min: 0, max: bytes.length + 10 }),
          fc.integer({ min: 0, max: PIECE }),
          async (position, length) => {
            const read = await reader.read(buffer!, position, length);
            const expected = bytes.subarray(Math.min(position, bytes.length), position + length);
            expect(Buffer.from(read).equals(expected)).toBe(true);
          },
        ),
        { numRuns: 200 },
      );
    } finally {
      await reader.close();
    }
  });

  it('reads a whole file piece by piece', async () => {
    const reader = await DirectFileReader.open(path, { direct });
    const [buffer] = DirectFileReader.readBuffers(1, PIECE);
    const pieces: Buffer[] = [];
    for (let at = 7; ; ) {
      const read = await reader.read(buffer!, at, PIECE);
      if (read.length === 0) break;
      pieces.push(Buffer.from(read));
      at += read.length;
    }
    await reader.close();
    expect(Buffer.concat(pieces).equals(bytes.subarray(7))).toBe(true);
  });

  it('refuses a read larger than its buffer', async () => {
    const reader = await DirectFileReader.open(path, { direct });
    const [buffer] = DirectFileReader.readBuffers(1, PIECE);
    await expect(reader.read(buffer!, 0, PIECE + 1)).rejects.toThrow(RangeError);
    await reader.close();
  });
});
