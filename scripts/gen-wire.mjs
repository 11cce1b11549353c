// Regenerates shared/wire/gen from shared/wire/proto with buf and protoc-gen-es, both from
// node_modules (no network, no global install). Same as `npx buf generate` at the root.
import { spawnSync } from 'node:child_process';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(fileURLToPath(new URL('.', import.meta.url)), '..');
const bin = join(root, 'node_modules', '.bin');
const args = ['generate', ...process.argv.slice(2)];
const result = spawnSync(join(bin, 'buf'), args, {
  cwd: root,
  stdio: 'inherit',
  // buf finds the protoc-gen-es plugin on PATH.
  env: { ...process.env, PATH: `${bin}${delimiter}${process.env.PATH ?? ''}` },
});
if (result.error) {
  console.error(`Could not run buf: ${result.error.message}`);
  process.exit(1);
}
process.exit(result.status ?? 1);
