/**
 * What kind of file a message carries, for its icon and for the words a screen reader says
 * before the name. Only a hint: the core decides what may be sent, received and saved.
 */
import { extensionOf } from './file-name';

export type FileKind =
  | 'image'
  | 'video'
  | 'audio'
  | 'pdf'
  | 'archive'
  | 'text'
  | 'document'
  | 'spreadsheet'
  | 'presentation'
  | 'file';

const BY_EXTENSION: Readonly<Record<string, FileKind>> = {
  pdf: 'pdf',
  zip: 'archive',
  '7z': 'archive',
  rar: 'archive',
  gz: 'archive',
  tgz: 'archive',
  bz2: 'archive',
  xz: 'archive',
  tar: 'archive',
  txt: 'text',
  md: 'text',
  csv: 'spreadsheet',
  log: 'text',
  json: 'text',
  doc: 'document',
  docx: 'document',
  odt: 'document',
  rtf: 'document',
  pages: 'document',
  xls: 'spreadsheet',
  xlsx: 'spreadsheet',
  ods: 'spreadsheet',
  numbers: 'spreadsheet',
  ppt: 'presentation',
  pptx: 'presentation',
  odp: 'presentation',
  key: 'presentation',
};

export function fileKind(fileName: string, mimeType: string): FileKind {
  const type = mimeType.toLowerCase();
  if (type === 'application/pdf') return 'pdf';
  if (type.startsWith('image/')) return 'image';
  if (type.startsWith('video/')) return 'video';
  if (type.startsWith('audio/')) return 'audio';
  return BY_EXTENSION[extensionOf(fileName)] ?? (type.startsWith('text/') ? 'text' : 'file');
}

const LABELS: Record<FileKind, string> = {
  image: 'Image',
  video: 'Video',
  audio: 'Audio',
  pdf: 'PDF document',
  archive: 'Archive',
  text: 'Text file',
  document: 'Document',
  spreadsheet: 'Spreadsheet',
  presentation: 'Presentation',
  file: 'File',
};

export function fileKindLabel(kind: FileKind): string {
  return LABELS[kind];
}

/** Images the renderer can decode and shrink into a preview. */
const PREVIEWABLE: ReadonlySet<string> = new Set(['image/jpeg', 'image/png', 'image/webp', 'image/gif']);

export function canMakeThumbnail(mimeType: string): boolean {
  return PREVIEWABLE.has(mimeType.toLowerCase());
}
