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

export async function writeFileAtomically(source: Readable, target: string): Promise<void> {
  const temporary = join(dirname(target), `.parley-${randomBytes(6).toString('hex')}.partial`);
  try {
    await pipeline(source, createWriteStream(temporary, { flags: 'wx', mode: 0o600 }));
    await rename(temporary, target);
  } catch (error) {
    source.destroy();
    await rm(temporary, { force: true });
    throw error;
  }
}
