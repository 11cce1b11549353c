/**
 * The folder of files' encrypted copies on this device (DESIGN.md, Storage: Attachments): a file
 * being sent stays here, encrypted under its own key, until it is on the relay (and afterwards,
 * so it can still be saved); a received file is its downloaded ciphertext, kept as it came. Names
 * are random, so the folder tells nothing about the files; only the database, which holds the
 * keys, links a copy to its message. Nothing here is ever plaintext.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { ParleyError } from '../../../shared/errors';

const NAME = /^[0-9a-f]{32}$/;
const PART = '.part';

export class EncryptedFileCache {
  constructor(readonly dir: string) {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
  }

  /** A fresh random name for a new copy. */
  newName(): string {
    return randomBytes(16).toString('hex');
  }

  /** Where a complete copy lives. */
  path(name: string): string {
    return join(this.dir, checked(name));
  }

  /** Where a copy being downloaded grows until its hash is checked. */
  partPath(name: string): string {
    return join(this.dir, `${checked(name)}${PART}`);
  }

  /** Bytes of a file in the folder, or null when there is none. */
  async sizeOf(path: string): Promise<number | null> {
    try {
      return (await stat(path)).size;
    } catch {
      return null;
    }
  }

  /** Removes a copy and any partial download of it. */
  async remove(name: string): Promise<void> {
    await rm(this.path(name), { force: true });
    await rm(this.partPath(name), { force: true });
  }

  /**
   * Removes what no message refers to any more: copies left by a crash between deleting a
   * message and its file, or by a download that never finished.
   */
  removeAllBut(kept: ReadonlySet<string>): number {
    let removed = 0;
    for (const entry of readdirSync(this.dir)) {
      const name = entry.endsWith(PART) ? entry.slice(0, -PART.length) : entry;
      if (NAME.test(name) && kept.has(name)) continue;
      rmSync(join(this.dir, entry), { force: true, recursive: true });
      removed++;
    }
    return removed;
  }
}

function checked(name: string): string {
  if (!NAME.test(name)) throw new ParleyError('INTERNAL', 'A file copy has a name that is not valid.');
  return name;
}
