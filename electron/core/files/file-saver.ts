/**
 * How a file leaves the core, decrypted, to where the person wants it. The shell provides the
 * FileSaver: Electron asks with a save dialog and writes to the chosen path (dialogFileSaver);
 * the browser host serves a one-time link its page opens for the browser's own download
 * (DownloadLinks). The bytes are decrypted as a stream while they are written, never kept.
 */
import type { Readable } from 'node:stream';

export interface SavableFile {
  /** Already safe: one plain name without path separators (safe-file-name.ts). */
  readonly fileName: string;
  readonly mimeType: string;
  readonly size: number;
  /**
   * A new stream of the decrypted bytes each call. It fails (FILE_DAMAGED) if the copy does not
   * decrypt; whatever was written must then be removed.
   */
  open(): Readable;
}

export type SaveOutcome =
  | { readonly kind: 'saved'; readonly fileName: string }
  | { readonly kind: 'cancelled' }
  | { readonly kind: 'link'; readonly url: string };

export interface FileSaver {
  /**
   * save() reads the whole file before it answers (a folder, a save dialog), so a received file
   * can be downloaded and decrypted in one pass; false where it is read later (a download link).
   */
  readonly writesBeforeAnswering: boolean;
  save(file: SavableFile): Promise<SaveOutcome>;
}
