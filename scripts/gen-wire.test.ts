/**
 * The generated wire code in shared/wire/gen is committed; this regenerates it from
 * shared/wire/proto into a temporary folder with the same script and checks nothing differs,
 * so a schema change without `node scripts/gen-wire.mjs` fails the tests.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const root = join(__dirname, '..');
const work = mkdtempSync(join(tmpdir(), 'parley-gen-wire-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function files(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (at: string) => {
    for (const name of readdirSync(at)) {
      const path = join(at, name);
      if (statSync(path).isDirectory()) walk(path);
      else out.set(relative(dir, path), readFileSync(path, 'utf8'));
    }
  };
  walk(dir);
  return out;
}

describe('generated wire code', () => {
  it('matches the schemas', () => {
    execFileSync(process.execPath, [join(root, 'scripts', 'gen-wire.mjs'), '--output', work], {
      cwd: root,
      stdio: 'pipe',
    });
    const fresh = files(join(work, 'shared', 'wire', 'gen'));
    const committed = files(join(root, 'shared', 'wire', 'gen'));
    expect([...fresh.keys()].sort()).toEqual([...committed.keys()].sort());
    for (const [path, text] of fresh) expect(committed.get(path), path).toBe(text);
  });
});
