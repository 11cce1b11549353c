import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { OLD_GENERATION_GROWTH_PERCENT, widenGcHeadroom } from './gc-headroom';

const run = promisify(execFile);

/**
 * A process with 25 MB live that then allocates almost nothing between full collections (as
 * during a transfer: its bytes are ArrayBuffers outside the heap): the factor V8 used for each
 * new limit, from --trace-gc-verbose ("[HeapController] Limit: … (3.4)").
 */
async function growthFactors(widen: boolean): Promise<number[]> {
  const script = `
    ${widen ? `require(${JSON.stringify(join(__dirname, 'gc-headroom.ts'))}).widenGcHeadroom();` : ''}
    globalThis.live = Array.from({ length: 300000 }, (_, i) => ({ i, s: 'item ' + i }));
    const collect = (left) => { globalThis.gc(); if (left > 0) setTimeout(() => collect(left - 1), 250); };
    collect(8);`;
  const { stdout } = await run(process.execPath, [
    '--expose-gc',
    '--trace-gc-verbose',
    '--import',
    'tsx',
    '-e',
    script,
  ]);
  return [...stdout.matchAll(/\[HeapController\] Limit: .*\((\d+\.\d+)\)/g)].map((m) => Number(m[1]));
}

describe('widenGcHeadroom', () => {
  it('asks V8 for a growth of 300 % (a factor of 4)', () => {
    const flags: string[] = [];
    widenGcHeadroom((flag) => flags.push(flag));
    expect(flags).toEqual([`--heap-growing-percent=${OLD_GENERATION_GROWTH_PERCENT}`]);
    expect(OLD_GENERATION_GROWTH_PERCENT).toBe(300);
  });

  it('keeps V8 at a factor of 4 where it would pick less by itself', async () => {
    const [own, widened] = await Promise.all([growthFactors(false), growthFactors(true)]);
    expect(own.length).toBeGreaterThanOrEqual(8);
    expect(Math.min(...own)).toBeLessThan(4);
    expect(widened.length).toBeGreaterThanOrEqual(8);
    expect(widened.every((factor) => factor === 4)).toBe(true);
  }, 30_000);
});
