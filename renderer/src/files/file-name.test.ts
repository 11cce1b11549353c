import { describe, expect, it } from 'vitest';
import { extensionOf, middleTruncate } from './file-name';

describe('middleTruncate', () => {
  it('leaves short names alone', () => {
    expect(middleTruncate('report.pdf', 40)).toBe('report.pdf');
  });

  it('cuts in the middle and keeps the extension and the end of the name', () => {
    const name = 'Quarterly report for the supervisory board final v3.pdf';
    const short = middleTruncate(name, 32);
    expect(Array.from(short).length).toBeLessThanOrEqual(32);
    expect(Array.from(short).length).toBeGreaterThan(28);
    expect(short.startsWith('Quarterly report')).toBe(true);
    expect(short.endsWith('v3.pdf')).toBe(true);
    expect(short).toContain('…');
  });

  it('never splits a character made of two code units', () => {
    const name = `${'😀'.repeat(30)}.png`;
    const short = middleTruncate(name, 12);
    expect(Array.from(short)).toHaveLength(12);
    expect(short).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/);
  });

  it('handles names without an extension', () => {
    const short = middleTruncate('a'.repeat(50), 10);
    expect(Array.from(short)).toHaveLength(10);
  });
});

describe('extensionOf', () => {
  it('finds the last extension in lower case', () => {
    expect(extensionOf('Archive.TAR.GZ')).toBe('gz');
    expect(extensionOf('.bashrc')).toBe('');
    expect(extensionOf('README')).toBe('');
    expect(extensionOf('trailing.')).toBe('');
  });
});
