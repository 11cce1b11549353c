import { describe, expect, it } from 'vitest';
import {
  checkFileAllowed,
  DEFAULT_FILE_POLICY,
  filePolicy,
  formatBytes,
  normalizeMimeType,
} from './file-policy';

const file = (name: string, mimeType = 'application/octet-stream', size = 10) => ({ name, mimeType, size });
const refusal = (policy: ReturnType<typeof filePolicy>, f: ReturnType<typeof file>) => {
  try {
    checkFileAllowed(policy, f);
    return null;
  } catch (error) {
    return (error as { code: string }).code;
  }
};

describe('file rules', () => {
  const defaults = filePolicy();

  it('allows documents, pictures, archives and scripts that need an interpreter by default', () => {
    for (const name of ['a.pdf', 'b.docx', 'c.png', 'd.zip', 'e.tar.gz', 'run.sh', 'tool.py', 'notes']) {
      expect(refusal(defaults, file(name))).toBeNull();
    }
  });

  it('blocks what runs on a double click, however the name is dressed up', () => {
    for (const name of [
      'a.exe',
      'B.MSI',
      'c.pdf.exe',
      'd.js',
      'e.jar',
      'f.dmg',
      'g.ps1',
      'h.exe.',
      'i\u202egpj.exe',
    ]) {
      expect(refusal(defaults, file(name)), name).toBe('FILE_TYPE_BLOCKED');
    }
    expect(refusal(defaults, file('a.bin', 'application/x-msdownload; charset=binary'))).toBe(
      'FILE_TYPE_BLOCKED',
    );
  });

  it('refuses what is larger than the limit, saying both sizes', () => {
    expect(() => checkFileAllowed(defaults, file('a.iso', '', DEFAULT_FILE_POLICY.maxBytes + 1))).toThrow(
      'This file is 2,147,483,649 bytes; files up to 2,147,483,648 bytes can be shared.',
    );
    expect(refusal(defaults, file('a.iso', '', DEFAULT_FILE_POLICY.maxBytes))).toBeNull();
  });

  it('follows configured allow lists, with media type families', () => {
    const pictures = filePolicy({ allowedExtensions: ['.PNG', 'jpg'], allowedMimeTypes: ['image/*'] });
    expect(refusal(pictures, file('a.png', 'image/png'))).toBeNull();
    expect(refusal(pictures, file('a.png', 'text/html'))).toBe('FILE_TYPE_BLOCKED');
    expect(refusal(pictures, file('a.pdf', 'image/png'))).toBe('FILE_TYPE_BLOCKED');
    expect(refusal(pictures, file('noextension', 'image/png'))).toBe('FILE_TYPE_BLOCKED');
    const noVideo = filePolicy({ blockedMimeTypes: ['video/*'] });
    expect(refusal(noVideo, file('a.mp4', 'video/mp4'))).toBe('FILE_TYPE_BLOCKED');
    expect(refusal(noVideo, file('a.mp3', 'audio/mpeg'))).toBeNull();
  });

  it('refuses a configuration that makes no sense', () => {
    expect(() => filePolicy({ maxBytes: -1 })).toThrow(expect.objectContaining({ code: 'CONFIG_INVALID' }));
  });

  it('normalises media types and formats sizes for sentences', () => {
    expect(normalizeMimeType(' Image/PNG ; q=1')).toBe('image/png');
    expect(normalizeMimeType('')).toBe('application/octet-stream');
    expect(normalizeMimeType('<script>')).toBe('application/octet-stream');
    expect(formatBytes(999)).toBe('999 bytes');
    expect(formatBytes(1_500_000)).toBe('1.5 MB');
    expect(formatBytes(250_000_000)).toBe('250 MB');
  });
});
