/**
 * Streams a decrypted file to `target` through a temporary file beside it (written around the
 * page cache where the system allows: DirectFileWriter), renamed into place only when every byte
 * arrived and decrypted; on any error the temporary file is removed, so a damaged file never
 * appears under its name.
 */
import { randomBytes } from 'node:crypto';
import { rename, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Readable } from 'node:stream';
import { DirectFileWriter } from '@parley/direct-io';

export async function writeFileAtomically(source: Readable, path: string): Promise<void> {
  const temporary = join(dirname(path), `.parley-${randomBytes(6).toString('hex')}.partial`);
  let target: DirectFileWriter | null = null;
  try {
    target = await DirectFileWriter.open(temporary, { flags: 'wx' });
    for await (const chunk of source) await target.append([chunk as Uint8Array]);
    await target.close();
    await rename(temporary, path);
  } catch (error) {
    source.destroy();
    await target?.abandon();
    await rm(temporary, { force: true });
    throw error;
  }
}
