// Builds everything `npm start`, the tests and the installers run:
//   dist/electron/main.cjs, dist/electron/preload.cjs   Electron main and (sandboxed) preload
//   dist/start.cjs, dist/host.cjs, dist/relay.cjs         launcher, browser host, standalone relay
//   dist/core-worker.cjs, dist/electron/core-worker.cjs   the core's worker threads
//   dist/parley-bridge.js                                 the host's in-page bridge (browser)
//   dist/renderer/                                        the React UI (Vite)
// esbuild bundles the Node and Electron entry points (one fast bundler, no framework around
// it); Vite builds the renderer. --node-only skips the browser parts; --quiet prints nothing.
import { readFileSync } from 'node:fs';
import { build as esbuild } from 'esbuild';

const args = new Set(process.argv.slice(2));
const quiet = args.has('--quiet');
const log = (line) => quiet || console.log(line);

const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
// Installed packages stay external (native modules, workers); ESM-only ones are bundled in.
const bundled = new Set(['@noble/post-quantum', '@noble/hashes', '@noble/curves']);
const external = [
  ...Object.keys(pkg.dependencies),
  ...Object.keys(pkg.optionalDependencies ?? {}),
  'electron',
].filter((name) => !bundled.has(name));

const node = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: 'linked',
  external,
  logLevel: 'warning',
};

const started = Date.now();
await Promise.all([
  esbuild({
    ...node,
    entryPoints: { 'electron/main': 'electron/main.ts' },
    outdir: 'dist',
    outExtension: { '.js': '.cjs' },
  }),
  esbuild({
    ...node,
    // A sandboxed preload may require only 'electron': everything else is bundled in.
    external: ['electron'],
    entryPoints: { 'electron/preload': 'electron/preload.ts' },
    outdir: 'dist',
    outExtension: { '.js': '.cjs' },
  }),
  esbuild({
    ...node,
    entryPoints: { start: 'electron/launch.ts', host: 'electron/host/main.ts', relay: 'relay/main.ts' },
    outdir: 'dist',
    outExtension: { '.js': '.cjs' },
  }),
  // The core's worker threads (file crypto, passphrase KDF), beside each bundle that runs the core.
  esbuild({
    ...node,
    entryPoints: {
      'electron/core-worker': 'electron/core/workers/core-worker.ts',
      'core-worker': 'electron/core/workers/core-worker.ts',
    },
    outdir: 'dist',
    outExtension: { '.js': '.cjs' },
  }),
  args.has('--node-only')
    ? null
    : esbuild({
        bundle: true,
        platform: 'browser',
        target: 'chrome120',
        format: 'iife',
        entryPoints: { 'parley-bridge': 'electron/host/shim/bridge-shim.ts' },
        outdir: 'dist',
        minify: true,
        logLevel: 'warning',
      }),
]);
log(`built node entry points in ${Date.now() - started} ms`);

if (!args.has('--node-only')) {
  const { build: vite } = await import('vite');
  await vite({ configFile: 'renderer/vite.config.mts', logLevel: quiet ? 'silent' : 'warn' });
  log('built renderer into dist/renderer');
}
