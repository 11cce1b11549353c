/**
 * Random bearer secrets (session tokens, blob capabilities, blob ids) and their stored form.
 * The relay keeps only SHA-256 of a secret, so a copy of its database grants nothing, and
 * compares hashes in constant time.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { toBase64url } from '../../shared/relay-protocol/base64url';

/** 256 bits as 43 base64url characters. */
export function newSecretToken(): string {
  return toBase64url(randomBytes(32));
}

/** 128 bits as 22 base64url characters: unguessable ids. */
export function newRandomId(): string {
  return toBase64url(randomBytes(16));
}

export function hashSecret(secret: string): Uint8Array {
  return new Uint8Array(createHash('sha256').update(secret).digest());
}

export function sameHash(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}
