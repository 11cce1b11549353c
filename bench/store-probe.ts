/**
 * One measurement of the store benchmark, in a process of its own so that nothing is cached in
 * it: `store-probe.ts <fixture dir> <figure> [search kind]`. Prints `{"ms": ..., "rows": ...}`.
 * Modules load before the clock starts; opening the database is part of the `open` figure only.
 */
import { openEncryptedDatabase } from '../electron/core/store/open-database';
import { Store } from '../electron/core/store/store';
import { fixtureKey, readManifest, type SearchKind } from './store-fixture';

type Figure = 'open' | 'list' | 'page' | 'search' | 'list-scan' | 'page-offset' | 'search-rank';

function main(): void {
  const [dir, figure, kind] = process.argv.slice(2) as [string, Figure, SearchKind | undefined];
  const manifest = readManifest(dir);
  if (manifest === undefined) throw new Error(`No complete store fixture in ${dir}.`);
  const key = fixtureKey(manifest);
  const path = `${dir}/parley.db`;

  if (figure === 'open') {
    const t0 = performance.now();
    const store = Store.open(path, key);
    const rows = store.listConversations(50).length;
    print(performance.now() - t0, rows);
    store.close();
    return;
  }

  if (figure === 'list' || figure === 'page' || figure === 'search') {
    const store = Store.open(path, key);
    const t0 = performance.now();
    const rows =
      figure === 'list'
        ? store.listConversations(50).length
        : figure === 'page'
          ? store.pageMessages(manifest.bigConversationId, manifest.middleCursor, 50).messages.length
          : store.searchMessages(manifest.queries[kind!], 50).messages.length;
    print(performance.now() - t0, rows);
    store.close();
    return;
  }

  // Baselines: the naive query for the same answer, on the same database.
  const db = openEncryptedDatabase(path, key);
  const sql = {
    'list-scan': 'SELECT * FROM conversations NOT INDEXED ORDER BY activity_at DESC, id DESC LIMIT 50',
    'page-offset': 'SELECT * FROM messages WHERE conversation_id = ? ORDER BY seq DESC LIMIT 50 OFFSET ?',
    'search-rank':
      'SELECT m.* FROM messages_fts JOIN messages AS m ON m.seq = messages_fts.rowid WHERE messages_fts MATCH ? ORDER BY rank LIMIT 50',
  }[figure];
  const args =
    figure === 'page-offset'
      ? [manifest.bigConversationId, Math.floor(manifest.bigConversationSize / 2)]
      : figure === 'search-rank'
        ? ['"the"']
        : [];
  const statement = db.prepare(sql);
  const t0 = performance.now();
  const rows = statement.all(...args).length;
  print(performance.now() - t0, rows);
  db.close();
}

function print(ms: number, rows: number): void {
  process.stdout.write(`${JSON.stringify({ ms, rows })}\n`);
}

main();
