/**
 * Token buckets keyed by device or network address. Memory stays bounded whatever the traffic:
 * a full bucket carries no information and is dropped by `sweep`, and past `maxKeys` the oldest
 * buckets go first (a flood of new keys cannot grow the map).
 */
export interface RateLimiterOptions {
  readonly ratePerSec: number;
  readonly burst: number;
  readonly maxKeys?: number;
  readonly now: () => number;
}

interface Bucket {
  tokens: number;
  last: number;
}

export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();
  private readonly maxKeys: number;

  constructor(private readonly options: RateLimiterOptions) {
    this.maxKeys = options.maxKeys ?? 100_000;
  }

  /** Takes `cost` tokens from `key`'s bucket; false when there are not enough. */
  take(key: string, cost = 1): boolean {
    const now = this.options.now();
    let bucket = this.buckets.get(key);
    if (bucket) {
      const refill = ((now - bucket.last) * this.options.ratePerSec) / 1000;
      bucket.tokens = Math.min(this.options.burst, bucket.tokens + Math.max(0, refill));
      bucket.last = now;
    } else {
      if (this.buckets.size >= this.maxKeys) {
        const oldest = this.buckets.keys().next().value;
        if (oldest !== undefined) this.buckets.delete(oldest);
      }
      bucket = { tokens: this.options.burst, last: now };
      this.buckets.set(key, bucket);
    }
    if (bucket.tokens < cost) return false;
    bucket.tokens -= cost;
    return true;
  }

  /** Drops buckets that have refilled completely. */
  sweep(): void {
    const now = this.options.now();
    const fullAfterMs = (this.options.burst / this.options.ratePerSec) * 1000;
    for (const [key, bucket] of this.buckets) {
      if (now - bucket.last >= fullAfterMs) this.buckets.delete(key);
    }
  }

  get size(): number {
    return this.buckets.size;
  }
}
