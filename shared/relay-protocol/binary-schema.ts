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

/** Raw bytes (a socket.io binary attachment arrives as a Uint8Array or Node Buffer). */
export function rawBytes(maxBytes: number, what: string) {
  return z
    .custom<Uint8Array>((value) => value instanceof Uint8Array, `${what} must be binary.`)
    .refine(
      (value) => value.length > 0 && value.length <= maxBytes,
      `${what} must be 1 to ${maxBytes} bytes.`,
    );
}
