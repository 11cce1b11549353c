// Electron's npm package downloads its binary in a postinstall script. Where that download is
// impossible (no internet), npm drops the optional dependency, and with it electron.d.ts. This
// script then fetches the same pinned electron tarball from the npm registry, checks it against
// the lock file's integrity hash, and keeps only electron.d.ts so main and preload still
// typecheck against Electron's own types. Where electron installed normally, it does nothing.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = process.cwd();
const installed = join(root, 'node_modules', 'electron', 'electron.d.ts');
const target = join(root, 'node_modules', '.electron-types', 'electron.d.ts');
if (existsSync(installed)) process.exit(0);

const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8'));
const entry = lock.packages?.['node_modules/electron'];
if (!entry) {
  console.error('electron-types: no electron entry in package-lock.json; run npm install once.');
  process.exit(0);
}
if (existsSync(target) && readFileSync(`${target}.version`, 'utf8') === entry.version) process.exit(0);

const work = mkdtempSync(join(tmpdir(), 'electron-types-'));
try {
  const name = execFileSync('npm', ['pack', `electron@${entry.version}`, '--prefer-offline', '--silent'], {
    cwd: work,
    encoding: 'utf8',
  }).trim();
  const tarball = join(work, name.split('\n').pop());
  const [algo, expected] = entry.integrity.split('-');
  const actual = createHash(algo).update(readFileSync(tarball)).digest('base64');
  if (actual !== expected) {
    console.error(
      `electron-types: electron@${entry.version} tarball does not match the lock file's integrity.`,
    );
    process.exit(1);
  }
  execFileSync('tar', ['xzf', tarball, '-C', work, 'package/electron.d.ts']);
  mkdirSync(join(root, 'node_modules', '.electron-types'), { recursive: true });
  writeFileSync(target, readFileSync(join(work, 'package', 'electron.d.ts')));
  writeFileSync(`${target}.version`, entry.version);
  console.log(
    `electron-types: electron binary not installed here; using electron@${entry.version}'s electron.d.ts for typechecking.`,
  );
} catch (err) {
  console.error(`electron-types: could not fetch electron's type definitions: ${err.message}`);
  process.exit(1);
} finally {
  rmSync(work, { recursive: true, force: true });
}
