/**
 * The desktop's "Save as": the shell asks where (Electron's dialog.showSaveDialog, suggesting
 * the file's safe name) and the core writes the decrypted bytes there. The person chose the path
 * themselves, so it is used as given; null means they cancelled.
 */
import type { FileSaver, SavableFile, SaveOutcome } from './file-saver';
import { writeFileAtomically } from './write-file-atomically';

export type AskSavePath = (suggestedName: string) => Promise<string | null>;

export function dialogFileSaver(ask: AskSavePath): FileSaver {
  return {
    writesBeforeAnswering: true,
    async save(file: SavableFile): Promise<SaveOutcome> {
      const target = await ask(file.fileName);
      if (!target) return { kind: 'cancelled' };
      await writeFileAtomically(file.open(), target);
      const parts = target.split(/[\\/]/);
      return { kind: 'saved', fileName: parts.at(-1) ?? file.fileName };
    },
  };
}
