import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { extensionOf, numberedFileName, sanitizeFileName } from './safe-file-name';

describe('safe file names', () => {
  it('keeps ordinary names as they are', () => {
    for (const name of ['report.pdf', 'Ünïcödé résumé.docx', 'photo 2024-01-01.jpeg', 'README']) {
      expect(sanitizeFileName(name)).toBe(name);
    }
  });

  it('never lets a name escape its folder or hide', () => {
    expect(sanitizeFileName('../../etc/passwd')).toBe('_.._etc_passwd');
    expect(sanitizeFileName('..\\..\\Windows\\win.ini')).toBe('_.._Windows_win.ini');
    expect(sanitizeFileName('/abs/path')).toBe('_abs_path');
    expect(sanitizeFileName('.bashrc')).toBe('bashrc');
    expect(sanitizeFileName('..')).toBe('file');
    expect(sanitizeFileName('   ')).toBe('file');
    expect(sanitizeFileName('a\u0000b\nc')).toBe('a_b_c');
  });

  it('removes what disguises a name and what Windows would change or refuse', () => {
    // U+202E RIGHT-TO-LEFT OVERRIDE shows "photo\u202egpj.exe" as "photoexe.jpg".
    expect(sanitizeFileName('photo\u202egpj.exe')).toBe('photogpj.exe');
    expect(sanitizeFileName('setup.exe. . ')).toBe('setup.exe');
    expect(sanitizeFileName('CON')).toBe('_CON');
    expect(sanitizeFileName('lpt1.txt')).toBe('_lpt1.txt');
    expect(sanitizeFileName('a<b>c:d"e|f?g*h')).toBe('a_b_c_d_e_f_g_h');
  });

  it('keeps names within 255 bytes, extension included, without cutting a character', () => {
    const name = sanitizeFileName(`${'é'.repeat(300)}.pdf`);
    expect(new TextEncoder().encode(name).length).toBeLessThanOrEqual(255);
    expect(name.endsWith('é.pdf')).toBe(true);
  });

  it('gives any input a plain, non-empty name of at most 255 bytes', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 400 }), (raw) => {
        const name = sanitizeFileName(raw);
        expect(name.length).toBeGreaterThan(0);
        // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it looks for.
        expect(name).not.toMatch(/[/\\\u0000-\u001f]/);
        expect(name === '.' || name === '..' || name.startsWith('.')).toBe(false);
        expect(new TextEncoder().encode(name).length).toBeLessThanOrEqual(255);
        expect(sanitizeFileName(name)).toBe(name);
      }),
    );
  });

  it('finds extensions and numbers taken names', () => {
    expect(extensionOf('a.tar.GZ')).toBe('gz');
    expect(extensionOf('Makefile')).toBe('');
    expect(extensionOf('.hidden')).toBe('');
    expect(numberedFileName('report.pdf', 2)).toBe('report (2).pdf');
    expect(numberedFileName('notes', 1)).toBe('notes (1)');
  });
});
