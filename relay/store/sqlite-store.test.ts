import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import { afterAll, describe, expect, it } from 'vitest';
import { openSqliteStore } from './sqlite-store';
import { describeRelayStore } from './store-contract';

const dir = mkdtempSync(join(tmpdir(), 'parley-relay-sqlite-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;
const nextPath = () => join(dir, `store-${++files}.sqlite`);

describeRelayStore('SQLite', async () => openSqliteStore(nextPath()));

describe('SQLite store file', () => {
  it('keeps committed envelopes and accounts across a reopen, in WAL mode', async () => {
    const path = nextPath();
    const store = openSqliteStore(path);
    const address = await store.registerUser({
      userId: 'u1',
      username: 'una',
      displayName: 'Una',
      identityKey: new Uint8Array(32).fill(7),
      invitationCodeHash: null,
      now: 1,
      actor: 'test',
    });
    await store.commit(
      { batches: [{ envelopes: [{ to: address, bytes: new Uint8Array([1, 2, 3]) }] }], acks: [] },
      { quota: 10, maxBytes: 1000, now: 1, expiresAt: 10_000 },
    );
    await store.close();

    const raw = new Database(path, { readonly: true });
    expect(raw.pragma('journal_mode', { simple: true })).toBe('wal');
    raw.close();

    const reopened = openSqliteStore(path);
    const pending = await reopened.pending(address, null, 10, 2);
    expect(pending.map((e) => [...e.bytes])).toEqual([[1, 2, 3]]);
    expect((await reopened.getUser('u1'))?.username).toBe('una');
    await reopened.close();
  });

  it('refuses a database written by a newer relay', async () => {
    const path = nextPath();
    const raw = new Database(path);
    raw.pragma('user_version = 99');
    raw.close();
    expect(() => openSqliteStore(path)).toThrow(expect.objectContaining({ code: 'UNSUPPORTED_VERSION' }));
  });
});
