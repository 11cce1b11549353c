/**
 * The sessions this device holds with each peer device. As Sesame §2 allows, a device may hold
 * several sessions with the same peer (after simultaneous initiation, or a peer's reinstall);
 * the first is the active one we send with, the others still decrypt late messages. Kept as one
 * record per address: a version byte, a count, then each serialized session with its length.
 */
import type { DeviceAddress } from '../../../shared/address';
import { ParleyError } from '../../../shared/errors';
import { deserializeSession, type SessionState, type Sodium, serializeSession } from '../crypto';
import type { Store } from '../store';

const RECORD_VERSION = 1;
/** Sesame keeps a bounded number of inactive sessions; older ones are dropped. */
export const MAX_SESSIONS_PER_DEVICE = 5;

export function encodeSessionRecord(sessions: readonly SessionState[]): Uint8Array {
  const parts = sessions.slice(0, MAX_SESSIONS_PER_DEVICE).map(serializeSession);
  const out = new Uint8Array(2 + parts.reduce((n, p) => n + 4 + p.length, 0));
  const view = new DataView(out.buffer);
  out[0] = RECORD_VERSION;
  out[1] = parts.length;
  let offset = 2;
  for (const part of parts) {
    view.setUint32(offset, part.length);
    out.set(part, offset + 4);
    offset += 4 + part.length;
  }
  return out;
}

export function decodeSessionRecord(sodium: Sodium, bytes: Uint8Array): SessionState[] {
  const corrupt = () =>
    new ParleyError('STORE_CORRUPT', 'A stored session is damaged; it will be set up again.');
  if (bytes.length < 2 || bytes[0] !== RECORD_VERSION || bytes[1]! > MAX_SESSIONS_PER_DEVICE) throw corrupt();
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const sessions: SessionState[] = [];
  let offset = 2;
  for (let i = 0; i < bytes[1]!; i++) {
    if (offset + 4 > bytes.length) throw corrupt();
    const length = view.getUint32(offset);
    if (offset + 4 + length > bytes.length) throw corrupt();
    sessions.push(deserializeSession(sodium, bytes.subarray(offset + 4, offset + 4 + length)));
    offset += 4 + length;
  }
  if (offset !== bytes.length) throw corrupt();
  return sessions;
}

export class SessionBook {
  constructor(
    private readonly store: Store,
    private readonly sodium: Sodium,
  ) {}

  /** Sessions with one peer device, active first (empty when there is none). */
  load(address: DeviceAddress): SessionState[] {
    const bytes = this.store.sessions.get(address);
    return bytes ? decodeSessionRecord(this.sodium, bytes) : [];
  }

  /** Stores `active` as the session to send with, keeping the others as fallbacks. */
  saveActive(
    address: DeviceAddress,
    active: SessionState,
    others: readonly SessionState[],
    now: number,
  ): void {
    this.store.sessions.put(address, encodeSessionRecord([active, ...others]), now);
  }

  /** After a session decrypted a message: the new state goes first, the rest keep their order. */
  saveAfterDecrypt(
    address: DeviceAddress,
    sessions: readonly SessionState[],
    index: number,
    updated: SessionState,
    now: number,
  ): void {
    const others = index < 0 ? sessions : sessions.filter((_, i) => i !== index);
    this.saveActive(address, updated, others, now);
  }

  addresses(userId: string): DeviceAddress[] {
    return this.store.sessions.addressesOf(userId);
  }
}
