/**
 * @noble/post-quantum is ESM-only; the app bundles electron/** to CommonJS with esbuild
 * (scripts/build.mjs). This bundles the protocol core the same way and runs a full PQXDH
 * set-up and reply in a plain Node process, so an import that only works under vitest or tsx
 * fails here.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { afterAll, describe, expect, it } from 'vitest';

const root = join(__dirname, '..', '..', '..');
const work = mkdtempSync(join(tmpdir(), 'parley-crypto-bundle-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const runner = `
const c = require('./crypto.cjs');
(async () => {
  const sodium = await c.loadSodium();
  const now = 1700000000000;
  const alice = c.createIdentity(sodium);
  const bob = c.createIdentity(sodium);
  const spk = c.generateSignedPrekey(sodium, bob, 1, now);
  const kem = c.generateKemPrekey(sodium, bob, 1, now, true);
  const bundle = { userId: 'bob', deviceId: 1, identityKey: bob.publicKey, signedPrekey: c.toSignedEcPrekey(spk),
    oneTimePrekey: null, kemPrekey: c.toSignedKemPrekey(kem), kemPrekeyIsLastResort: true };
  const session = c.initiateSession(sodium, { identity: alice, localAddress: 'alice.1', bundle, now });
  const meta = { messageId: c.newMessageId(), timestamp: now };
  const sent = c.sealMessage(sodium, session, new TextEncoder().encode('bundled'), meta);
  const opened = c.openMessage(sodium, { identity: bob, localAddress: 'bob.1', envelope: sent.envelope,
    sessionsWith: () => [], prekeys: { signedPrekey: () => spk, oneTimePrekey: () => undefined, kemPrekey: () => kem }, now });
  process.stdout.write(new TextDecoder().decode(opened.plaintext));
})().catch((e) => { console.error(e); process.exit(1); });
`;

describe('the protocol core bundled to CommonJS', () => {
  it('runs PQXDH with ML-KEM-1024 in plain Node', async () => {
    await build({
      entryPoints: [join(__dirname, 'index.ts')],
      bundle: true,
      platform: 'node',
      target: 'node20',
      format: 'cjs',
      // As scripts/build.mjs: installed packages stay external, the ESM-only noble ones are bundled in.
      external: ['libsodium-wrappers-sumo', '@bufbuild/protobuf'],
      outfile: join(work, 'crypto.cjs'),
      logLevel: 'silent',
    });
    writeFileSync(join(work, 'run.cjs'), runner);
    const output = execFileSync(process.execPath, ['run.cjs'], {
      cwd: work,
      env: { ...process.env, NODE_PATH: join(root, 'node_modules') },
      encoding: 'utf8',
    });
    expect(output).toBe('bundled');
  });
});
