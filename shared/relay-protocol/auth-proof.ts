/**
 * The message a device signs to prove it holds its identity key (agreed between the relay and
 * the messenger core): a fixed context string, the relay's fresh nonce, the relay id and the
 * device's clock. The context keeps this signature from being valid for any other purpose
 * (prekey signatures sign Encode(PK), which starts with a key-type byte, never with 'P'); the
 * nonce makes each proof good for one connection only; the relay id keeps a proof made for one
 * relay from being replayed to another; the time lets the relay refuse stale proofs.
 *
 * Layout: context (ASCII) || 0x00 || u8 len(relayId) || relayId (ASCII) || nonce (32 bytes)
 *         || time (u64 big-endian, milliseconds since the Unix epoch)
 */
import { ParleyError } from '../errors';
import { AUTH_NONCE_BYTES } from './limits';

export const AUTH_PROOF_CONTEXT = 'Parley relay device authentication v1';

/** Relay ids are short ASCII names, so that every side encodes them identically. */
export const RELAY_ID_PATTERN = /^[A-Za-z0-9._:-]{1,128}$/;

export interface AuthProofFields {
  readonly nonce: Uint8Array;
  readonly relayId: string;
  /** Milliseconds since the Unix epoch, by the device's clock. */
  readonly time: number;
}

function ascii(text: string): number[] {
  const out: number[] = [];
  for (let i = 0; i < text.length; i++) out.push(text.charCodeAt(i));
  return out;
}

export function encodeAuthProof(fields: AuthProofFields): Uint8Array {
  if (fields.nonce.length !== AUTH_NONCE_BYTES) {
    throw new ParleyError('WIRE_BAD_LENGTH', `The relay's nonce must be ${AUTH_NONCE_BYTES} bytes.`);
  }
  if (!RELAY_ID_PATTERN.test(fields.relayId)) {
    throw new ParleyError('WIRE_MALFORMED', 'The relay id must be 1 to 128 letters, digits or ._:- signs.');
  }
  if (!Number.isSafeInteger(fields.time) || fields.time < 0) {
    throw new ParleyError('WIRE_MALFORMED', 'The proof time must be a whole number of milliseconds.');
  }
  const context = ascii(AUTH_PROOF_CONTEXT);
  const relayId = ascii(fields.relayId);
  const out = new Uint8Array(context.length + 1 + 1 + relayId.length + AUTH_NONCE_BYTES + 8);
  let o = 0;
  out.set(context, o);
  o += context.length;
  out[o++] = 0;
  out[o++] = relayId.length;
  out.set(relayId, o);
  o += relayId.length;
  out.set(fields.nonce, o);
  o += AUTH_NONCE_BYTES;
  // u64 big-endian from a safe integer: high 21 bits and low 32 bits.
  const high = Math.floor(fields.time / 2 ** 32);
  const low = fields.time >>> 0;
  for (let i = 3; i >= 0; i--) out[o + i] = (high >>> ((3 - i) * 8)) & 0xff;
  for (let i = 3; i >= 0; i--) out[o + 4 + i] = (low >>> ((3 - i) * 8)) & 0xff;
  return out;
}
