/**
 * The decisions of a group commit that both stores share: whether each batch may be stored
 * (every recipient known and active, every mailbox within its quota) and the mailbox counters
 * that result. A batch is stored whole or refused whole, and a refused batch never affects the
 * others of the same group.
 */
import type { DeviceAddress } from '../../shared/address';
import type { ErrorCode } from '../../shared/errors';
import type { EnvelopeBatch, MailboxLimits } from './relay-store';

/** One recipient's mailbox while a group commit runs (read once per group, written once). */
export interface RecipientState {
  readonly row: number;
  /** Why envelopes for it are refused, or null. */
  readonly refusal: ErrorCode | null;
  count: number;
  bytes: number;
  dirty: boolean;
}

export type BatchPlan =
  | { readonly ok: true; readonly targets: readonly RecipientState[] }
  | {
      readonly ok: false;
      readonly code: ErrorCode;
      readonly rejected: readonly { readonly index: number; readonly code: ErrorCode }[];
    };

export function refusalFor(userStatus: string, revokedAt: number | null): ErrorCode | null {
  if (userStatus !== 'active') return 'RELAY_USER_DEACTIVATED';
  if (revokedAt !== null) return 'RELAY_DEVICE_REVOKED';
  return null;
}

export function addressKey(address: DeviceAddress): string {
  return `${address.userId}.${address.deviceId}`;
}

/** Records a deleted envelope in its mailbox's counters. */
export function noteRemoved(state: RecipientState, size: number): void {
  state.count--;
  state.bytes -= size;
  state.dirty = true;
}

/**
 * Decides one batch. When it is accepted, the recipients' counters already include it, so the
 * next batch of the group is checked against the mailboxes as they will be.
 */
export function planBatch(
  batch: EnvelopeBatch,
  stateOf: (address: DeviceAddress) => RecipientState | null,
  limits: MailboxLimits,
): BatchPlan {
  if (batch.envelopes.length === 1) return planOne(batch.envelopes[0]!, stateOf, limits);
  const rejected: { index: number; code: ErrorCode }[] = [];
  const targets: RecipientState[] = [];
  batch.envelopes.forEach((envelope, index) => {
    const state = stateOf(envelope.to);
    if (!state) rejected.push({ index, code: 'RELAY_UNKNOWN_DEVICE' });
    else if (state.refusal) rejected.push({ index, code: state.refusal });
    else targets.push(state);
  });
  if (rejected.length === 0) {
    const adding = new Map<RecipientState, { count: number; bytes: number; indexes: number[] }>();
    batch.envelopes.forEach((envelope, index) => {
      const state = targets[index]!;
      const add = adding.get(state) ?? { count: 0, bytes: 0, indexes: [] };
      add.count++;
      add.bytes += envelope.bytes.length;
      add.indexes.push(index);
      adding.set(state, add);
    });
    for (const [state, add] of adding) {
      if (state.count + add.count > limits.quota || state.bytes + add.bytes > limits.maxBytes) {
        for (const index of add.indexes) rejected.push({ index, code: 'RELAY_MAILBOX_FULL' });
      }
    }
    if (rejected.length === 0) {
      for (const [state, add] of adding) {
        state.count += add.count;
        state.bytes += add.bytes;
        state.dirty = true;
      }
      return { ok: true, targets };
    }
  }
  rejected.sort((a, b) => a.index - b.index);
  return { ok: false, code: rejected[0]!.code, rejected };
}

/** planBatch for a batch of one envelope (the usual case), without its bookkeeping. */
function planOne(
  envelope: EnvelopeBatch['envelopes'][number],
  stateOf: (address: DeviceAddress) => RecipientState | null,
  limits: MailboxLimits,
): BatchPlan {
  const state = stateOf(envelope.to);
  if (!state) return refusedOne('RELAY_UNKNOWN_DEVICE');
  if (state.refusal) return refusedOne(state.refusal);
  if (state.count + 1 > limits.quota || state.bytes + envelope.bytes.length > limits.maxBytes)
    return refusedOne('RELAY_MAILBOX_FULL');
  state.count += 1;
  state.bytes += envelope.bytes.length;
  state.dirty = true;
  return { ok: true, targets: [state] };
}

function refusedOne(code: ErrorCode): BatchPlan {
  return { ok: false, code, rejected: [{ index: 0, code }] };
}
