/**
 * Protocol core benchmarks (`npm run bench -- crypto`), one JSON line each:
 *   crypto.ratchet         200-byte messages one way through encryptMessage + decryptMessage (Double
 *                          Ratchet, wire encoding included) vs raw XChaCha20-Poly1305 encrypt+decrypt
 *   crypto.ratchet.turns   the same, changing direction every message (a DH ratchet step each)
 *   crypto.seal            envelopes sealed and opened vs raw crypto_box_seal + open
 *   crypto.session         PQXDH set-ups, both sides, with the first message
 *   crypto.attachment      256 MiB through AttachmentEncryptor vs raw secretstream push
 * The machine is shared, so each benchmark alternates short rounds of the measured code and its
 * baseline and times both in this process's CPU time (wall-clock figures are reported beside).
 * The protocol core is measured as the app ships it: bundled by esbuild, as scripts/build.mjs
 * does (run from source under tsx, every cross-module call goes through an export getter).
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { build } from 'esbuild';
import type { PrekeyBundle } from '../shared/prekeys';
import { type Report, round } from './report';

type Core = typeof import('../electron/core/crypto/index') &
  Pick<typeof import('../electron/core/crypto/ratchet'), 'ratchetEncrypt' | 'ratchetDecrypt'> &
  Pick<typeof import('../shared/wire/ratchet-message'), 'encodeRatchetMessage' | 'decodeRatchetMessage'>;
type Sodium = import('../electron/core/crypto/index').Sodium;
type SessionState = import('../electron/core/crypto/index').SessionState;

/** The protocol core (and the ratchet functions under it) bundled to CommonJS as the app is built. */
async function bundledCore(): Promise<Core> {
  const dir = mkdtempSync(join(tmpdir(), 'parley-bench-crypto-'));
  try {
    const outfile = join(dir, 'crypto.cjs');
    await build({
      stdin: {
        contents: [
          "export * from './index';",
          "export { ratchetDecrypt, ratchetEncrypt } from './ratchet';",
          "export { decodeRatchetMessage, encodeRatchetMessage } from '../../../shared/wire/ratchet-message';",
        ].join('\n'),
        resolveDir: join(__dirname, '..', 'electron', 'core', 'crypto'),
        loader: 'ts',
      },
      bundle: true,
      platform: 'node',
      target: 'node20',
      format: 'cjs',
      outfile,
      logLevel: 'warning',
    });
    return require(outfile) as Core;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

interface Timing {
  cpu: number;
  wall: number;
}

const NOW = 1_700_000_000_000;

function clock(): Timing {
  const usage = process.cpuUsage();
  return { cpu: (usage.user + usage.system) / 1e6, wall: performance.now() / 1000 };
}

function since(start: Timing, into: Timing): void {
  const end = clock();
  into.cpu += end.cpu - start.cpu;
  into.wall += end.wall - start.wall;
}

/** Alternates `rounds` rounds of `measured` and `baseline` (after one warm-up round of each). */
async function alternate(
  rounds: number,
  measured: () => void | Promise<void>,
  baseline: () => void | Promise<void>,
): Promise<{ measured: Timing; baseline: Timing }> {
  const totals = { measured: { cpu: 0, wall: 0 }, baseline: { cpu: 0, wall: 0 } };
  await measured();
  await baseline();
  for (let i = 0; i < rounds; i++) {
    let start = clock();
    await measured();
    since(start, totals.measured);
    start = clock();
    await baseline();
    since(start, totals.baseline);
  }
  return totals;
}

interface Device {
  readonly identity: import('../electron/core/crypto/index').IdentityKeyPair;
  readonly address: string;
  readonly prekeys: import('../electron/core/crypto/index').PrekeyLookup;
  readonly bundle: (oneTime: boolean) => PrekeyBundle;
}

/** A device with a signed prekey, a last-resort KEM prekey and a supply of one-time prekeys. */
function device(c: Core, sodium: Sodium, userId: string, oneTimeCount: number): Device {
  const identity = c.createIdentity(sodium);
  const signed = c.generateSignedPrekey(sodium, identity, 1, NOW);
  const kem = c.generateKemPrekey(sodium, identity, 1, NOW, true);
  const oneTime = new Map(c.generateOneTimePrekeys(sodium, 1, oneTimeCount).map((r) => [r.id, r]));
  const unused = [...oneTime.keys()];
  return {
    identity,
    address: `${userId}.1`,
    prekeys: { signedPrekey: () => signed, oneTimePrekey: (id) => oneTime.get(id), kemPrekey: () => kem },
    bundle: (withOneTime) => {
      const id = withOneTime ? unused.shift() : undefined;
      return {
        userId,
        deviceId: 1,
        identityKey: identity.publicKey,
        signedPrekey: c.toSignedEcPrekey(signed),
        oneTimePrekey: id === undefined ? null : c.toOneTimeEcPrekey(oneTime.get(id)!),
        kemPrekey: c.toSignedKemPrekey(kem),
        kemPrekeyIsLastResort: true,
      };
    },
  };
}

/** Sends one message `from` → `to` in `session`; returns both sides' new sessions. */
function exchange(
  c: Core,
  sodium: Sodium,
  from: Device,
  to: Device,
  sending: SessionState,
  receiving: SessionState | null,
  payload: Uint8Array,
  meta: { messageId: Uint8Array; timestamp: number },
): { sending: SessionState; receiving: SessionState } {
  const sent = c.encryptMessage(sodium, sending, payload, meta);
  const received = c.decryptMessage(sodium, {
    identity: to.identity,
    localAddress: to.address,
    sender: from.address,
    kind: sent.kind,
    body: sent.body,
    meta,
    sessions: receiving ? [receiving] : [],
    prekeys: to.prekeys,
    now: NOW,
  });
  return { sending: sent.session, receiving: received.session };
}

/** Two devices whose session has been answered (so messages are plain ratchet messages). */
function connected(c: Core, sodium: Sodium) {
  const alice = device(c, sodium, 'alice', 1);
  const bob = device(c, sodium, 'bob', 1);
  const meta = { messageId: c.newMessageId(), timestamp: NOW };
  const hello = new Uint8Array(5);
  const started = c.initiateSession(sodium, {
    identity: alice.identity,
    localAddress: alice.address,
    bundle: bob.bundle(true),
    now: NOW,
  });
  const first = exchange(c, sodium, alice, bob, started, null, hello, meta);
  const reply = exchange(c, sodium, bob, alice, first.receiving, first.sending, hello, meta);
  return { alice, bob, aliceSession: reply.receiving, bobSession: reply.sending };
}

async function ratchet(c: Core, sodium: Sodium, report: Report): Promise<void> {
  const { alice, bob, aliceSession, bobSession } = connected(c, sodium);
  let sender = aliceSession;
  let receiver = bobSession;
  let sending = aliceSession.ratchet;
  let receiving = bobSession.ratchet;
  const payload = new Uint8Array(200).fill(0x61);
  const meta = { messageId: c.newMessageId(), timestamp: NOW };
  // The AD the session layer gives the ratchet: PQXDH AD, message id, time.
  const ad = [aliceSession.associatedData, meta.messageId, new Uint8Array(8)];
  const key = sodium.crypto_aead_xchacha20poly1305_ietf_keygen();
  const nonce = sodium.randombytes_buf(24);
  const perRound = 4000;
  const rounds = 20;
  const ratchetTime = { cpu: 0, wall: 0 };
  const sessionTime = { cpu: 0, wall: 0 };
  const ratchetRound = () => {
    for (let i = 0; i < perRound; i++) {
      const out = c.ratchetEncrypt(sodium, sending, payload, ad);
      sending = out.state;
      const { ratchetKey, previousCounter, counter } = out.header;
      const bytes = c.encodeRatchetMessage({
        ratchetKey,
        previousCounter,
        counter,
        ciphertext: out.ciphertext,
      });
      const wire = c.decodeRatchetMessage(bytes);
      const header = {
        ratchetKey: wire.ratchetKey as typeof out.header.ratchetKey,
        previousCounter: wire.previousCounter,
        counter: wire.counter,
      };
      receiving = c.ratchetDecrypt(sodium, receiving, header, wire.ciphertext, ad, NOW).state;
    }
  };
  const sessionRound = () => {
    for (let i = 0; i < perRound; i++) {
      const next = exchange(c, sodium, alice, bob, sender, receiver, payload, meta);
      sender = next.sending;
      receiver = next.receiving;
    }
  };
  let warm = false; // alternate() runs one untimed warm-up round first
  const times = await alternate(
    rounds,
    () => {
      let start = clock();
      ratchetRound();
      if (warm) since(start, ratchetTime);
      start = clock();
      sessionRound();
      if (warm) since(start, sessionTime);
      warm = true;
    },
    () => {
      // Twice as many, to match the two measured loops above.
      for (let i = 0; i < 2 * perRound; i++) {
        const ciphertext = sodium.crypto_aead_xchacha20poly1305_ietf_encrypt(payload, null, null, nonce, key);
        sodium.crypto_aead_xchacha20poly1305_ietf_decrypt(null, ciphertext, null, nonce, key);
      }
    },
  );
  const count = perRound * rounds;
  const value = count / ratchetTime.cpu;
  const sessionValue = count / sessionTime.cpu;
  const baseline = (2 * count) / times.baseline.cpu;
  report({
    bench: 'crypto.ratchet',
    value: round(value),
    unit: 'msg/s',
    baseline: 'raw XChaCha20-Poly1305 encrypt+decrypt, 200 bytes',
    baseline_value: round(baseline),
    ratio: round(value / baseline),
    measured: 'RatchetEncrypt + wire encode + wire decode + RatchetDecrypt, AD as the session gives it',
    session_api_value: round(sessionValue),
    session_api_ratio: round(sessionValue / baseline),
    clock: 'process cpu',
    wall_value: round(count / ratchetTime.wall),
  });
}

async function ratchetTurns(c: Core, sodium: Sodium, report: Report): Promise<void> {
  const { alice, bob, aliceSession, bobSession } = connected(c, sodium);
  const devices = [alice, bob] as const;
  const sessions = [aliceSession, bobSession];
  const payload = new Uint8Array(200).fill(0x62);
  const meta = { messageId: c.newMessageId(), timestamp: NOW };
  const perRound = 500;
  const rounds = 6;
  let turn = 0;
  const times = await alternate(
    rounds,
    () => {
      for (let i = 0; i < perRound; i++, turn ^= 1) {
        const next = exchange(
          c,
          sodium,
          devices[turn]!,
          devices[1 - turn]!,
          sessions[turn]!,
          sessions[1 - turn]!,
          payload,
          meta,
        );
        sessions[turn] = next.sending;
        sessions[1 - turn] = next.receiving;
      }
    },
    () => undefined,
  );
  const count = perRound * rounds;
  report({
    bench: 'crypto.ratchet.turns',
    value: round(count / times.measured.cpu),
    unit: 'msg/s',
    note: 'direction changes every message: a DH ratchet step (X25519 key pair and two DH) each',
    clock: 'process cpu',
    wall_value: round(count / times.measured.wall),
  });
}

async function seal(c: Core, sodium: Sodium, report: Report): Promise<void> {
  const bob = c.createIdentity(sodium);
  const inner = {
    sender: 'alice.1',
    kind: 'ratchet' as const,
    body: new Uint8Array(300),
    timestamp: NOW,
    messageId: c.newMessageId(),
  };
  const padded = new Uint8Array(1024 - 48);
  const perRound = 300;
  const rounds = 10;
  const times = await alternate(
    rounds,
    () => {
      for (let i = 0; i < perRound; i++)
        c.openEnvelope(sodium, bob, c.sealEnvelopeTo(sodium, bob.dhPublicKey, inner));
    },
    () => {
      for (let i = 0; i < perRound; i++) {
        const box = sodium.crypto_box_seal(padded, bob.dhPublicKey);
        sodium.crypto_box_seal_open(box, bob.dhPublicKey, bob.dhSecretKey);
      }
    },
  );
  const count = perRound * rounds;
  const value = count / times.measured.cpu;
  const baseline = count / times.baseline.cpu;
  report({
    bench: 'crypto.seal',
    value: round(value),
    unit: 'envelopes/s',
    baseline: 'raw crypto_box_seal + open, 1 KiB',
    baseline_value: round(baseline),
    ratio: round(value / baseline),
    clock: 'process cpu',
    wall_value: round(count / times.measured.wall),
  });
}

async function session(c: Core, sodium: Sodium, report: Report): Promise<void> {
  const perRound = 40;
  const rounds = 5;
  const alice = device(c, sodium, 'alice', 0);
  const bob = device(c, sodium, 'bob', perRound * (rounds + 1));
  const payload = new Uint8Array(200);
  const times = await alternate(
    rounds,
    () => {
      for (let i = 0; i < perRound; i++) {
        const started = c.initiateSession(sodium, {
          identity: alice.identity,
          localAddress: alice.address,
          bundle: bob.bundle(true),
          now: NOW,
        });
        exchange(c, sodium, alice, bob, started, null, payload, {
          messageId: c.newMessageId(),
          timestamp: NOW,
        });
      }
    },
    () => undefined,
  );
  const count = perRound * rounds;
  report({
    bench: 'crypto.session',
    value: round(count / times.measured.cpu),
    unit: 'set-ups/s',
    note: 'both sides: prekey signature checks, PQXDH with ML-KEM-1024 and a one-time prekey, ratchet set-up, first message',
    clock: 'process cpu',
    wall_value: round(count / times.measured.wall),
  });
}

async function attachment(c: Core, sodium: Sodium, report: Report): Promise<void> {
  const chunkBytes = 64 * 1024;
  const chunks = 4096; // 256 MiB
  const chunk = sodium.randombytes_buf(chunkBytes);
  const source = () =>
    Readable.from(
      (function* () {
        for (let i = 0; i < chunks; i++) yield chunk;
      })(),
    );
  const sink = () =>
    new Writable({
      write(_piece, _encoding, callback) {
        callback();
      },
    });
  const times = await alternate(
    2,
    async () => {
      const encryptor = new c.AttachmentEncryptor(sodium);
      await pipeline(source(), encryptor, sink());
      encryptor.result();
    },
    () => {
      const { state } = sodium.crypto_secretstream_xchacha20poly1305_init_push(
        sodium.crypto_secretstream_xchacha20poly1305_keygen(),
      );
      const message = sodium.crypto_secretstream_xchacha20poly1305_TAG_MESSAGE;
      const final = sodium.crypto_secretstream_xchacha20poly1305_TAG_FINAL;
      for (let i = 0; i < chunks; i++) {
        sodium.crypto_secretstream_xchacha20poly1305_push(
          state,
          chunk,
          null,
          i === chunks - 1 ? final : message,
        );
      }
    },
  );
  const megabytes = (chunks * chunkBytes * 2) / 1e6; // two measured rounds
  const value = megabytes / times.measured.cpu;
  const baseline = megabytes / times.baseline.cpu;
  // What bounds the ratio: the blob's SHA-256 alone, over the same bytes.
  const hashStart = clock();
  const hash = createHash('sha256');
  for (let i = 0; i < 2 * chunks; i++) hash.update(chunk);
  hash.digest();
  const hashTime = { cpu: 0, wall: 0 };
  since(hashStart, hashTime);
  const sha256 = megabytes / hashTime.cpu;
  report({
    bench: 'crypto.attachment',
    value: round(value),
    unit: 'MB/s',
    baseline: 'raw secretstream push, 64 KiB chunks in memory',
    baseline_value: round(baseline),
    ratio: round(value / baseline),
    size_mib: 256,
    note: 'stream encryption plus the SHA-256 of the blob',
    sha256_value: round(sha256),
    ratio_bound_by_sha256: round(1 / (1 + baseline / sha256)),
    clock: 'process cpu',
    wall_value: round(megabytes / times.measured.wall),
    wall_baseline_value: round(megabytes / times.baseline.wall),
  });
}

export async function run(report: Report): Promise<void> {
  const c = await bundledCore();
  const sodium = await c.loadSodium();
  await ratchet(c, sodium, report);
  await ratchetTurns(c, sodium, report);
  await seal(c, sodium, report);
  await session(c, sodium, report);
  await attachment(c, sodium, report);
}
