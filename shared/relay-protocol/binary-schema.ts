/**
 * Zod schemas for binary fields that travel as base64url text in JSON: they check the text and
 * hand the parsed value on as bytes of an exact (or bounded) length.
 */
import { z } from 'zod';
import { base64urlLength, fromBase64url } from './base64url';

/** Exactly `bytes` bytes, as unpadded base64url. */
export function fixedBytes(bytes: number, what: string) {
  return z
    .string()
    .length(base64urlLength(bytes), `${what} must be ${bytes} bytes in base64url.`)
    .transform((text, ctx) => {
      const decoded = fromBase64url(text);
      if (decoded === null || decoded.length !== bytes) {
        ctx.addIssue({ code: 'custom', message: `${what} must be ${bytes} bytes in base64url.` });
        return z.NEVER;
      }
      return decoded;
    });
}

/**
 * A binary frame as base64url text, up to `maxBytes` once decoded. Only the length is checked
 * here: the frame's decoder checks every byte of what the text decodes to.
 */
export function frameText(maxBytes: number, what: string) {
  return z
    .string(`${what} must be base64url text.`)
    .min(1, `${what} is empty.`)
    .max(base64urlLength(maxBytes), `${what} is larger than ${maxBytes} bytes.`);
}
