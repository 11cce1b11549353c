/**
 * One-time invitation codes the admin CLI prints: 80 random bits in Crockford's base32, in four
 * groups (`7K2M-QX9D-R4TB-8HWN`), easy to read aloud and to type. Input is normalized the way
 * Crockford specifies (case, dashes and spaces ignored; I and L read as 1, O as 0), and only a
 * hash of the normalized code is stored.
 */
import { randomBytes } from 'node:crypto';
import { hashSecret } from '../auth/secret-tokens';

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

export function newInvitationCode(): string {
  const bytes = randomBytes(10);
  let bits = 0;
  let acc = 0;
  let code = '';
  for (const byte of bytes) {
    acc = (acc << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      code += ALPHABET[(acc >> bits) & 31];
    }
    acc &= (1 << bits) - 1;
  }
  return code.match(/.{4}/g)!.join('-');
}

/** The canonical form, or null when the text cannot be a code. */
export function normalizeInvitationCode(text: string): string | null {
  const canonical = text.toUpperCase().replace(/[\s-]/g, '').replace(/[IL]/g, '1').replace(/O/g, '0');
  return /^[0-9A-HJKMNP-TV-Z]{16}$/.test(canonical) ? canonical : null;
}

export function hashInvitationCode(canonical: string): Uint8Array {
  return hashSecret(`parley-invitation:${canonical}`);
}
