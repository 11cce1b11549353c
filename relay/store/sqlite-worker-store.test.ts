/**
 * The SQLite store in its worker thread (as the standalone relay runs it) passes the same suite
 * as every store. Here the worker runs sqlite-worker.ts alone (quicker to load); the relay's
 * process tests run it from relay/main.ts, as in production.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openSqliteWorkerStore } from './sqlite-worker-store';
import { describeRelayStore } from './store-contract';

const WORKER = join(__dirname, 'sqlite-worker.ts');
const dir = mkdtempSync(join(tmpdir(), 'parley-relay-worker-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;

describeRelayStore('SQLite in a worker thread', () =>
  openSqliteWorkerStore(join(dir, `s${++files}.sqlite`), WORKER),
);

describe('SQLite worker store', () => {
  it('reports a database it cannot open, and fails calls after it is closed', async () => {
    await expect(openSqliteWorkerStore(join(dir, 'missing', 'folder', 'x.sqlite'), WORKER)).rejects.toThrow();
    const store = await openSqliteWorkerStore(join(dir, 'closed.sqlite'), WORKER);
    await store.close();
    await expect(store.totalDepth()).rejects.toMatchObject({ code: 'UNAVAILABLE' });
  });
});
