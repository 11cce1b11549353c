// Typechecks each part with its own tsconfig (its own lib and types), two at a time.
import { spawn } from 'node:child_process';

const parts = [
  'shared',
  'electron',
  'electron/host/shim',
  'renderer',
  'relay',
  'tests',
  'e2e',
  'bench',
  'packages/direct-io',
  'packages/gc-headroom',
];
const tsc = 'node_modules/typescript/bin/tsc';

function check(part) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [tsc, '-p', `${part}/tsconfig.json`], { stdio: 'inherit' });
    child.on('exit', (code) => resolve({ part, code }));
  });
}

let failed = false;
for (let i = 0; i < parts.length; i += 2) {
  const results = await Promise.all(parts.slice(i, i + 2).map(check));
  for (const { part, code } of results) {
    console.log(`typecheck ${part}: ${code === 0 ? 'ok' : 'FAILED'}`);
    if (code !== 0) failed = true;
  }
}
process.exit(failed ? 1 : 0);
