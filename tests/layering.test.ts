/**
 * Proves the layering lint rule of DESIGN.md bites: each deliberate violation below must fail
 * `biome lint` with the layering message, and each allowed import must pass.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const root = join(__dirname, '..');
const biome = join(root, 'node_modules', '.bin', 'biome');
const work = mkdtempSync(join(tmpdir(), 'parley-layering-'));
const config = JSON.parse(readFileSync(join(root, 'biome.json'), 'utf8'));
delete config.$schema;
config.vcs = { enabled: false };
config.files = { includes: ['**'] };
afterAll(() => rmSync(work, { recursive: true, force: true }));

function lint(file: string, importLine: string): { ok: boolean; output: string } {
  const dir = mkdtempSync(join(work, 'case-'));
  writeFileSync(join(dir, 'biome.json'), JSON.stringify(config));
  const path = join(dir, file);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `${importLine}\nvoid x;\n`);
  try {
    const output = execFileSync(biome, ['lint', '--only=style/noRestrictedImports', '.'], {
      cwd: dir,
      encoding: 'utf8',
      stdio: 'pipe',
    });
    return { ok: true, output };
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string };
    return { ok: false, output: `${e.stdout ?? ''}${e.stderr ?? ''}` };
  }
}

describe('layering rule', () => {
  it.each([
    ['shared/wire/x.ts', "import { x } from '../../electron/core/keys';"],
    ['shared/x.ts', "import { x } from '../relay/server';"],
    ['shared/x.ts', "import { x } from 'node:fs';"],
    ['renderer/src/x.ts', "import { x } from '../../electron/core/keys';"],
    ['renderer/src/x.ts', "import { x } from '../../relay/server';"],
    ['renderer/src/x.ts', "import { x } from 'electron';"],
    ['relay/x.ts', "import { x } from '../electron/core/keys';"],
    ['relay/x.ts', "import { x } from '../renderer/src/App';"],
    ['electron/core/x.ts', "import { x } from 'electron';"],
    ['electron/core/crypto/x.ts', "import { x } from '../../../relay/server';"],
    ['electron/host/x.ts', "import { x } from 'electron';"],
  ])('%s may not %s', (file, line) => {
    const result = lint(file, line);
    expect(result.ok).toBe(false);
    expect(result.output).toContain('Layering (DESIGN.md)');
  });

  it.each([
    ['shared/x.ts', "import { x } from './errors';"],
    ['renderer/src/x.ts', "import { x } from '../../shared/ipc';"],
    ['relay/x.ts', "import { x } from '../shared/errors';"],
    ['electron/core/x.ts', "import { x } from '../../shared/ipc';"],
    ['electron/main.ts', "import { x } from 'electron';"],
    ['electron/host/x.ts', "import { x } from '../../relay/server';"],
  ])('%s may %s', (file, line) => {
    const result = lint(file, line);
    expect(result.output).not.toContain('Layering');
    expect(result.ok).toBe(true);
  });
});
