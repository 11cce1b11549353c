import { describe, expect, it } from 'vitest';
import { RateLimiter } from './rate-limiter';

describe('rate limiter', () => {
  it('allows a burst, then the steady rate, per key', () => {
    let now = 0;
    const limiter = new RateLimiter({ ratePerSec: 10, burst: 5, now: () => now });
    const taken = () => Array.from({ length: 8 }, () => limiter.take('a')).filter(Boolean).length;
    expect(taken()).toBe(5);
    expect(limiter.take('b')).toBe(true);
    now += 300; // 3 tokens refill
    expect(taken()).toBe(3);
    now += 10_000;
    expect(taken()).toBe(5); // never more than the burst
  });

  it('keeps memory bounded: full buckets are swept and the oldest go past maxKeys', () => {
    let now = 0;
    const limiter = new RateLimiter({ ratePerSec: 1, burst: 2, maxKeys: 100, now: () => now });
    for (let i = 0; i < 1000; i++) limiter.take(`addr${i}`);
    expect(limiter.size).toBe(100);
    now += 2_000;
    limiter.take('fresh');
    limiter.sweep();
    expect(limiter.size).toBe(1);
  });
});
