import { describe, expect, it } from 'vitest';
import { ProgressMeter } from './progress-meter';

describe('transfer speed', () => {
  it('measures bytes per second over the last seconds', () => {
    let now = 0;
    const meter = new ProgressMeter(() => now);
    for (let i = 0; i <= 50; i++) {
      meter.record(i * 100_000); // 100 kB every 100 ms: 1 MB/s
      now += 100;
    }
    expect(meter.bytesPerSecond()).toBe(1_000_000);
    meter.reset();
    expect(meter.bytesPerSecond()).toBe(0);
  });

  it('keeps a bounded number of samples however often it is told', () => {
    let now = 0;
    const meter = new ProgressMeter(() => now);
    for (let i = 0; i < 200_000; i++) {
      meter.record(i * 1000);
      now += 0.05;
    }
    expect((meter as unknown as { samples: unknown[] }).samples.length).toBeLessThan(40);
    expect(Math.abs(meter.bytesPerSecond() - 20_000_000)).toBeLessThan(200_000);
  });
});
