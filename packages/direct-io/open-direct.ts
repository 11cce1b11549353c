import { constants } from 'node:fs';
import { type FileHandle, open } from 'node:fs/promises';

/** An ordinary descriptor on a file and, where the system allows, a direct (O_DIRECT) one. */
export interface FilePair {
  readonly plain: FileHandle;
  readonly direct: FileHandle | null;
}

/**
 * Opens `path` with `plainFlags` (which may create it), then again with `directFlags` and
 * O_DIRECT unless `tryDirect` is false. The direct one is null where the system has no O_DIRECT
 * (macOS, Windows) or the filesystem refuses it (EINVAL); any other failure is thrown, with
 * nothing left open.
 */
export async function openPair(
  path: string,
  plainFlags: number,
  directFlags: number,
  options: { readonly mode?: number; readonly tryDirect: boolean },
): Promise<FilePair> {
  const plain = await open(path, plainFlags, options.mode);
  if (!options.tryDirect || constants.O_DIRECT === undefined) return { plain, direct: null };
  try {
    return { plain, direct: await open(path, directFlags | constants.O_DIRECT) };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EINVAL') return { plain, direct: null };
    await plain.close();
    throw error;
  }
}
