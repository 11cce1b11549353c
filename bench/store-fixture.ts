/**
 * Builds (once) the benchmark's encrypted store: 1,000,000 messages in 10,000 conversations, four
 * of them with more than 50,000 messages and most with a few dozen, interleaved in time as real
 * chats are. It is cached under os.tmpdir() and reused while its manifest says it is complete.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DatabaseKey } from '../electron/core/store/database-key';
import type { NewMessage } from '../electron/core/store/message';
import { Store } from '../electron/core/store/store';

/** Bump when the schema or the generator changes, so an old cache is not measured. */
const FIXTURE_VERSION = 2;

export const MESSAGES = 1_000_000;
export const CONVERSATIONS = 10_000;
const BIG_CONVERSATIONS = 4;
const BIG_SIZE = 55_000;
const BATCH = 10_000;

export interface FixtureManifest {
  readonly version: number;
  readonly keyHex: string;
  readonly messages: number;
  readonly conversations: number;
  readonly bigConversationId: string;
  readonly bigConversationSize: number;
  /** The seq cursor at the middle of the big conversation, for the page figure. */
  readonly middleCursor: number;
  readonly queries: Readonly<Record<SearchKind, string>>;
  readonly matches: Readonly<Record<SearchKind, number>>;
  readonly buildSeconds: number;
}

export type SearchKind = 'rare' | 'common' | 'phrase' | 'prefix';

export const SEARCH_QUERIES: Readonly<Record<SearchKind, string>> = {
  rare: 'quetzalcoatl',
  common: 'the',
  phrase: '"see you"',
  prefix: 't*',
};

export function fixtureDir(): string {
  return join(tmpdir(), `parley-bench-store-v${FIXTURE_VERSION}`);
}

export function databasePath(dir: string): string {
  return join(dir, 'parley.db');
}

export function readManifest(dir: string): FixtureManifest | undefined {
  const path = join(dir, 'manifest.json');
  if (!existsSync(path) || !existsSync(databasePath(dir))) return undefined;
  const manifest = JSON.parse(readFileSync(path, 'utf8')) as FixtureManifest;
  return manifest.version === FIXTURE_VERSION ? manifest : undefined;
}

export function fixtureKey(manifest: FixtureManifest): DatabaseKey {
  return Uint8Array.from(Buffer.from(manifest.keyHex, 'hex')) as DatabaseKey;
}

/** Returns the cached fixture, building it first if it is missing or incomplete. */
export function ensureFixture(log: (line: string) => void): { dir: string; manifest: FixtureManifest } {
  const dir = fixtureDir();
  const cached = readManifest(dir);
  if (cached !== undefined) return { dir, manifest: cached };
  const partial = `${dir}.partial-${process.pid}`;
  removeStaleFixtures();
  rmSync(dir, { recursive: true, force: true });
  rmSync(partial, { recursive: true, force: true });
  mkdirSync(partial, { recursive: true });
  log(`building the ${MESSAGES.toLocaleString('en')}-message store in ${dir} (once; reused by later runs)`);
  const manifest = build(partial, log);
  // The manifest is written last and the folder renamed into place: a half-built cache is never used.
  writeFileSync(join(partial, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  renameSync(partial, dir);
  return { dir, manifest };
}

/** Older fixture versions and builds that were interrupted: a third of a gigabyte each. */
function removeStaleFixtures(): void {
  for (const name of readdirSync(tmpdir())) {
    if (/^parley-bench-store-v\d+/.test(name)) rmSync(join(tmpdir(), name), { recursive: true, force: true });
  }
}

function build(dir: string, log: (line: string) => void): FixtureManifest {
  const started = performance.now();
  const random = xorshift(0x5eed);
  const keyBytes = randomBytes(32);
  const store = Store.open(databasePath(dir), Uint8Array.from(keyBytes) as DatabaseKey);
  try {
    const sizes = conversationSizes(random);
    const ids = sizes.map((_, i) => `conv-${i.toString().padStart(5, '0')}`);
    store.transaction(() => {
      ids.forEach((id, i) => {
        store.conversations.create({ id, peerUserId: `peer-${i}`, createdAt: 1_600_000_000_000 + i });
      });
    });
    const order = shuffledOwners(sizes, random);
    const bigId = ids[0]!;
    let bigCount = 0;
    let middleCursor = 0;
    let time = 1_650_000_000_000;
    const messageIds = randomBytes(16 * MESSAGES).toString('hex');
    for (let start = 0; start < MESSAGES; start += BATCH) {
      store.transaction(() => {
        for (let i = start; i < Math.min(start + BATCH, MESSAGES); i++) {
          const owner = order[i]!;
          time += 1 + Math.floor(random() * 60_000);
          const outgoing = random() < 0.5;
          const message: NewMessage = {
            id: messageIds.slice(i * 32, i * 32 + 32),
            conversationId: ids[owner]!,
            senderUserId: outgoing ? 'me' : `peer-${owner}`,
            outgoing,
            kind: 'text',
            text: sentence(random, i),
            sentAt: time,
            receivedAt: outgoing ? null : time + 300,
            state: outgoing ? 'read' : i > MESSAGES - 2_000 ? 'delivered' : 'read',
          };
          const stored = store.messages.insert(message)!;
          if (owner === 0 && ++bigCount === Math.floor(sizes[0]! / 2)) middleCursor = stored.seq;
        }
      });
      if ((start / BATCH) % 10 === 9) log(`  ${(start + BATCH).toLocaleString('en')} messages`);
    }
    const matches = Object.fromEntries(
      (Object.keys(SEARCH_QUERIES) as SearchKind[]).map((kind) => [
        kind,
        countMatches(store, SEARCH_QUERIES[kind]),
      ]),
    ) as Record<SearchKind, number>;
    return {
      version: FIXTURE_VERSION,
      keyHex: keyBytes.toString('hex'),
      messages: MESSAGES,
      conversations: CONVERSATIONS,
      bigConversationId: bigId,
      bigConversationSize: sizes[0]!,
      middleCursor,
      queries: SEARCH_QUERIES,
      matches,
      buildSeconds: Math.round((performance.now() - started) / 1000),
    };
  } finally {
    store.close();
  }
}

function countMatches(store: Store, query: string): number {
  let count = 0;
  let before: number | null = null;
  do {
    const page = store.searchMessages(query, 500, before);
    count += page.messages.length;
    before = page.before;
  } while (before !== null);
  return count;
}

/** Four chats of 55,000 messages; the rest shared out along a long tail (a few hundred to a handful). */
function conversationSizes(random: () => number): number[] {
  const rest = MESSAGES - BIG_CONVERSATIONS * BIG_SIZE;
  const weights = Array.from(
    { length: CONVERSATIONS - BIG_CONVERSATIONS },
    (_, i) => 1 / (i + 50) ** 0.9 + random() * 1e-4,
  );
  const total = weights.reduce((a, b) => a + b, 0);
  const sizes = weights.map((w) => Math.max(1, Math.floor((w / total) * rest)));
  let missing = rest - sizes.reduce((a, b) => a + b, 0);
  for (let i = 0; missing > 0; i = (i + 1) % sizes.length, missing--) sizes[i]! += 1;
  return [...Array.from({ length: BIG_CONVERSATIONS }, () => BIG_SIZE), ...sizes];
}

/** Which conversation each successive message belongs to: exact sizes, random interleaving. */
function shuffledOwners(sizes: number[], random: () => number): Int32Array {
  const order = new Int32Array(MESSAGES);
  let at = 0;
  sizes.forEach((size, owner) => {
    order.fill(owner, at, at + size);
    at += size;
  });
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    const t = order[i]!;
    order[i] = order[j]!;
    order[j] = t;
  }
  return order;
}

const COMMON = (
  'the to and a of i you it in that is for on this be with have at are was me so we just ' +
  'but not can what if my do your all will get about up out like they there from how one now know see ' +
  'good time think when then them well back here more today tomorrow meeting call later thanks okay sure'
).split(' ');
const TOPICS = (
  'project report budget release deploy review design office lunch coffee train flight hotel ' +
  'invoice contract customer server database backup laptop printer holiday weekend birthday dinner ' +
  'presentation slides numbers quarter roadmap hiring interview feedback ticket bug feature branch'
).split(' ');

/** Roughly English-shaped chat lines: "the" in most of them, "see you" in about one in thirty. */
function sentence(random: () => number, n: number): string {
  const words: string[] = [];
  const length = 4 + Math.floor(random() * 14);
  for (let i = 0; i < length; i++) {
    const r = random();
    if (r < 0.55) words.push(COMMON[Math.floor(random() ** 2.2 * COMMON.length)]!);
    else if (r < 0.85) words.push(TOPICS[Math.floor(random() * TOPICS.length)]!);
    else words.push(pseudoWord(random));
  }
  if (random() < 0.7) words.splice(Math.floor(random() * words.length), 0, 'the');
  if (random() < 0.03) words.push('see', 'you');
  if (n % 100_000 === 12_345) words.push('quetzalcoatl');
  return words.join(' ');
}

const SYLLABLES =
  'ka lo mi ne ra su te vo zi ba do fe gu hi ja ko lu ma no pe qui ri sa tu ve wo xa yo ze'.split(' ');

function pseudoWord(random: () => number): string {
  const n = 2 + Math.floor(random() * 3);
  let word = '';
  for (let i = 0; i < n; i++) word += SYLLABLES[Math.floor(random() * SYLLABLES.length)]!;
  return word;
}

/** A seeded xorshift32, so the fixture's shape is the same on every machine. */
function xorshift(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x / 0x1_0000_0000;
  };
}
