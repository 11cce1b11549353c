/**
 * Content codec: every kind round-trips, and hostile fields are refused (THREAT-MODEL.md row
 * "malicious message content": file names cannot escape the save folder, sizes are bounded).
 */
import { describe, expect, it } from 'vitest';
import { ParleyError } from '../errors';
import {
  type AttachmentPointer,
  type Content,
  decodeContent,
  encodeContent,
  MAX_RECEIPT_IDS,
  MAX_TEXT_BYTES,
} from './content';

const id = (n: number) => new Uint8Array(16).fill(n);
const pointer: AttachmentPointer = {
  key: new Uint8Array(32).fill(1),
  ciphertextHash: new Uint8Array(32).fill(2),
  size: 123_456_789,
  fileName: 'Quarterly report (final).pdf',
  mimeType: 'application/pdf',
  blobId: 'b_0123456789abcdef',
  capabilityToken: 'cap.eyJhbGciOi-JIUzI1NiJ9_x',
  thumbnail: new Uint8Array([0xff, 0xd8, 0xff]),
};

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ParleyError);
    return (error as ParleyError).code;
  }
  throw new Error('expected a ParleyError');
}

describe('Content', () => {
  it.each<[string, Content]>([
    ['text', { type: 'text', text: 'Hello 👋 — ünïcödé', attachment: null }],
    ['text with a file', { type: 'text', text: '', attachment: pointer }],
    [
      'text with a file, no thumbnail',
      { type: 'text', text: 'see attached', attachment: { ...pointer, thumbnail: null } },
    ],
    ['delivery receipt', { type: 'delivery-receipt', messageIds: [id(1), id(2)] }],
    ['read receipt', { type: 'read-receipt', messageIds: [id(3)] }],
  ])('round-trips a %s', (_name, content) => {
    expect(decodeContent(encodeContent(content))).toEqual(content);
  });

  it('refuses file names that could escape the save folder', () => {
    for (const fileName of ['../../etc/passwd', 'a/b', 'a\\b', '..', '.', 'bad\u0000name', 'tab\tname', '']) {
      const content: Content = { type: 'text', text: '', attachment: { ...pointer, fileName } };
      expect(codeOf(() => encodeContent(content))).toMatch(/^WIRE_/);
    }
  });

  it('refuses malformed pointers', () => {
    const bad: Partial<AttachmentPointer>[] = [
      { key: new Uint8Array(31) },
      { ciphertextHash: new Uint8Array(33) },
      { size: -1 },
      { size: 2 ** 53 },
      { mimeType: 'not a type' },
      { blobId: 'has space' },
      { capabilityToken: '' },
      { thumbnail: new Uint8Array(32 * 1024 + 1) },
    ];
    for (const change of bad) {
      expect(
        codeOf(() => encodeContent({ type: 'text', text: 'x', attachment: { ...pointer, ...change } })),
      ).toMatch(/^WIRE_/);
    }
  });

  it('refuses empty messages, oversize text and bad receipts', () => {
    expect(codeOf(() => encodeContent({ type: 'text', text: '', attachment: null }))).toBe('WIRE_MALFORMED');
    expect(
      codeOf(() =>
        encodeContent({ type: 'text', text: 'é'.repeat(MAX_TEXT_BYTES / 2 + 1), attachment: null }),
      ),
    ).toBe('WIRE_BAD_LENGTH');
    expect(
      encodeContent({ type: 'text', text: 'é'.repeat(MAX_TEXT_BYTES / 2), attachment: null }).length,
    ).toBeGreaterThan(MAX_TEXT_BYTES);
    expect(codeOf(() => encodeContent({ type: 'read-receipt', messageIds: [] }))).toBe('WIRE_BAD_LENGTH');
    const many = Array.from({ length: MAX_RECEIPT_IDS + 1 }, () => id(1));
    expect(codeOf(() => encodeContent({ type: 'read-receipt', messageIds: many }))).toBe('WIRE_BAD_LENGTH');
    expect(codeOf(() => encodeContent({ type: 'delivery-receipt', messageIds: [new Uint8Array(15)] }))).toBe(
      'WIRE_BAD_LENGTH',
    );
  });

  it('checks the version and the kind when decoding', () => {
    const bytes = encodeContent({ type: 'text', text: 'hi', attachment: null });
    const future = bytes.slice();
    future[1] = 2; // version field
    expect(codeOf(() => decodeContent(future))).toBe('WIRE_BAD_VERSION');
    expect(codeOf(() => decodeContent(Uint8Array.of(0x08, 0x01)))).toBe('WIRE_MALFORMED'); // no body
    expect(codeOf(() => decodeContent(Uint8Array.of(0x0a)))).toBe('WIRE_MALFORMED'); // cut short
  });
});
