import { describe, expect, it } from 'vitest';
import { canMakeThumbnail, fileKind, fileKindLabel } from './file-kind';

describe('fileKind', () => {
  it('trusts the media type for images, video, audio and PDF', () => {
    expect(fileKind('x.bin', 'image/png')).toBe('image');
    expect(fileKind('clip', 'video/mp4')).toBe('video');
    expect(fileKind('song', 'audio/ogg')).toBe('audio');
    expect(fileKind('paper', 'application/pdf')).toBe('pdf');
  });

  it('falls back on the extension, then on text/*', () => {
    expect(fileKind('backup.tar.gz', 'application/octet-stream')).toBe('archive');
    expect(fileKind('budget.XLSX', '')).toBe('spreadsheet');
    expect(fileKind('notes', 'text/plain')).toBe('text');
    expect(fileKind('blob', 'application/octet-stream')).toBe('file');
    expect(fileKindLabel('pdf')).toBe('PDF document');
  });
});

describe('canMakeThumbnail', () => {
  it('is true for the four image types the brief names and nothing else', () => {
    for (const type of ['image/jpeg', 'image/png', 'image/webp', 'image/gif', 'IMAGE/PNG']) {
      expect(canMakeThumbnail(type)).toBe(true);
    }
    for (const type of ['image/svg+xml', 'image/heic', 'application/pdf', '']) {
      expect(canMakeThumbnail(type)).toBe(false);
    }
  });
});
