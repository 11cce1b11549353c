/**
 * Streams a decrypted file to `target` through a temporary file beside it, renamed into place
 * only when every byte arrived and decrypted; on any error the temporary file is removed, so a
 * damaged file never appears under its name.
 */
import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

export async function writeFileAtomically(source: Readable, path: string): Promise<void> {
  const temporary = join(dirname(path), `.parley-${randomBytes(6).toString('hex')}.partial`);
  try {
    const target = createWriteStream(temporary, { flags: 'wx', mode: 0o600, highWaterMark: 1024 * 1024 });
    await pipeline(source, target);
    await rename(temporary, path);
  } catch (error) {
    source.destroy();
    await rm(temporary, { force: true });
    throw error;
  }
}
