/**
 * The relay's audit log is a hash chain: each event's hash covers the previous event's hash
 * and the event itself, so removing or editing an event breaks every later hash. Signing the
 * chain head and exporting it come with the audit issue; the format is ready for them.
 */
import { createHash } from 'node:crypto';
import type { AuditEventType } from './relay-store';

/** The hash before the first event. */
export const AUDIT_GENESIS_HASH = '0'.repeat(64);

export interface AuditEventFields {
  readonly seq: number;
  readonly at: number;
  readonly type: AuditEventType;
  readonly userId: string | null;
  readonly deviceId: number | null;
  readonly actor: string;
  readonly detail: Readonly<Record<string, string | number>>;
}

/** Canonical form: a JSON array with the detail's keys sorted. */
export function canonicalAuditEvent(event: AuditEventFields): string {
  const detail = Object.keys(event.detail)
    .sort()
    .map((key) => [key, event.detail[key]]);
  return JSON.stringify([event.seq, event.at, event.type, event.userId, event.deviceId, event.actor, detail]);
}

export function auditHash(previousHash: string, event: AuditEventFields): string {
  return createHash('sha256')
    .update(previousHash)
    .update('\n')
    .update(canonicalAuditEvent(event))
    .digest('hex');
}

/** Recomputes the chain; returns the seq of the first event whose hash does not match, or null. */
export function verifyAuditChain(
  events: readonly (AuditEventFields & { readonly hash: string })[],
  previousHash = AUDIT_GENESIS_HASH,
): number | null {
  let prev = previousHash;
  for (const event of events) {
    if (auditHash(prev, event) !== event.hash) return event.seq;
    prev = event.hash;
  }
  return null;
}
