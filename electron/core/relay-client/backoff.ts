/**
 * Exponential backoff with jitter for reconnecting: the n-th retry waits about min·2ⁿ, capped at
 * max, spread by ±50% so that many devices cut off together do not return together.
 */
export interface BackoffOptions {
  readonly minDelayMs: number;
  readonly maxDelayMs: number;
  readonly random?: () => number;
}

export class Backoff {
  private attempts = 0;

  constructor(private readonly options: BackoffOptions) {}

  next(): number {
    const base = Math.min(
      this.options.maxDelayMs,
      this.options.minDelayMs * 2 ** Math.min(this.attempts, 30),
    );
    this.attempts++;
    const jitter = 0.5 + (this.options.random ?? Math.random)();
    return Math.min(this.options.maxDelayMs, Math.round(base * jitter));
  }

  reset(): void {
    this.attempts = 0;
  }
}
