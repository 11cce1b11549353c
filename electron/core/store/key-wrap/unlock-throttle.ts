/**
 * Slows down passphrase guessing at the unlock screen: a few free attempts, then a doubling
 * wait, remembered in the key file across restarts. It guards the app's own door; someone who
 * copies the files bypasses it, which is what Argon2id's cost is for.
 */
import { ParleyError } from '../../../../shared/errors';
import type { ThrottleState } from './key-file';

export interface ThrottlePolicy {
  /** Wrong passphrases allowed before any wait. */
  readonly freeAttempts: number;
  /** The wait after the first failure beyond the free ones; it doubles after each further one. */
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
}

export const DEFAULT_THROTTLE: ThrottlePolicy = {
  freeAttempts: 5,
  baseDelayMs: 30_000,
  maxDelayMs: 60 * 60_000,
};

export const NO_FAILURES: ThrottleState = { failedAttempts: 0, nextAttemptAt: 0 };

/** Throws RATE_LIMITED, saying how long to wait, when an attempt is not allowed yet. */
export function checkThrottle(state: ThrottleState, now: number, policy: ThrottlePolicy): void {
  // Capped so a clock set back (or far forward, then back) cannot lock the user out for longer.
  const waitMs = Math.min(state.nextAttemptAt - now, policy.maxDelayMs);
  if (waitMs <= 0) return;
  const seconds = Math.ceil(waitMs / 1000);
  throw new ParleyError(
    'RATE_LIMITED',
    `Too many wrong passphrases. Try again in ${seconds} second${seconds === 1 ? '' : 's'}.`,
  );
}

export function afterFailure(state: ThrottleState, now: number, policy: ThrottlePolicy): ThrottleState {
  const failedAttempts = state.failedAttempts + 1;
  const beyond = failedAttempts - policy.freeAttempts;
  if (beyond < 0) return { failedAttempts, nextAttemptAt: 0 };
  const delay = Math.min(policy.baseDelayMs * 2 ** Math.min(beyond, 30), policy.maxDelayMs);
  return { failedAttempts, nextAttemptAt: now + delay };
}
