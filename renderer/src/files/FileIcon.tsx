import { Icon, type IconName } from '../design/Icon';
import type { FileKind } from './file-kind';

const ICONS: Record<FileKind, IconName> = {
  image: 'fileImage',
  video: 'fileVideo',
  audio: 'fileAudio',
  pdf: 'filePdf',
  archive: 'fileArchive',
  text: 'fileText',
  document: 'fileText',
  spreadsheet: 'fileTable',
  presentation: 'fileSlides',
  file: 'file',
};

/** A file's type as a tile; decorative, the kind is also said in words beside it. */
export function FileIcon({ kind, size = 40 }: { kind: FileKind; size?: number }) {
  return (
    <span className={`file-icon file-icon--${kind}`} aria-hidden="true" style={{ width: size, height: size }}>
      <Icon name={ICONS[kind]} size={Math.round(size * 0.6)} />
    </span>
  );
}
