/**
 * Saves into one folder (a Downloads folder, or a test's temporary folder) under the file's own
 * name, made safe, numbered when taken ("report (1).pdf"). The name is checked to stay inside the
 * folder whatever the sender called the file.
 */
import { access } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { ParleyError } from '../../../shared/errors';
import type { FileSaver, SavableFile, SaveOutcome } from './file-saver';
import { numberedFileName, sanitizeFileName } from './safe-file-name';
import { writeFileAtomically } from './write-file-atomically';

export function folderFileSaver(folder: string): FileSaver {
  const root = resolve(folder);
  return {
    writesBeforeAnswering: true,
    async save(file: SavableFile): Promise<SaveOutcome> {
      const name = sanitizeFileName(file.fileName);
      for (let n = 0; n < 1000; n++) {
        const candidate = n === 0 ? name : numberedFileName(name, n);
        const target = join(root, candidate);
        if (resolve(target) !== join(root, basename(target))) {
          throw new ParleyError('INVALID_ARGUMENT', 'That file name cannot be used.');
        }
        if (await exists(target)) continue;
        await writeFileAtomically(file.open(), target);
        return { kind: 'saved', fileName: candidate };
      }
      throw new ParleyError(
        'CONFLICT',
        'Too many files of that name in the folder. Rename some and try again.',
      );
    },
  };
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}
