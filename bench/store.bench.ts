/**
 * `npm run bench -- store` (issue 5, part 7): the encrypted store at 1,000,000 messages. Every
 * figure is the median of several fresh processes (store-probe.ts), each measuring once, cold.
 * Baselines are the naive queries for the same answers on the same database: OFFSET paging, a
 * bm25-ranked search, and the conversation list without its index.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { type Report, round } from './report';
import { ensureFixture, type SearchKind } from './store-fixture';

const RUNS = 5;
const BASELINE_RUNS = 3;
const GOALS_MS = { open: 50, list: 5, page: 2, search: 50 } as const;

interface Sample {
  readonly ms: number;
  readonly rows: number;
}

export async function run(report: Report): Promise<void> {
  const { dir, manifest } = ensureFixture((line) => process.stderr.write(`${line}\n`));
  const measure = (figure: string, runs: number, kind?: SearchKind) => median(dir, figure, runs, kind);
  const common = {
    unit: 'ms',
    messages: manifest.messages,
    conversations: manifest.conversations,
    runs: RUNS,
  };

  const open = measure('open', RUNS);
  report({ bench: 'store.open', value: round(open.ms), ...common, goal: GOALS_MS.open, rows: open.rows });

  const list = measure('list', RUNS);
  const listScan = measure('list-scan', BASELINE_RUNS);
  report({
    bench: 'store.list',
    value: round(list.ms),
    ...common,
    goal: GOALS_MS.list,
    baseline: 'the same top 50 by a full scan and sort',
    baseline_value: round(listScan.ms),
    ratio: round(list.ms / listScan.ms),
  });

  const page = measure('page', RUNS);
  const offset = measure('page-offset', BASELINE_RUNS);
  report({
    bench: 'store.page',
    value: round(page.ms),
    ...common,
    goal: GOALS_MS.page,
    chat_size: manifest.bigConversationSize,
    baseline: 'OFFSET paging to the same place',
    baseline_value: round(offset.ms),
    ratio: round(page.ms / offset.ms),
  });

  const kinds = Object.keys(manifest.queries) as SearchKind[];
  const searches = Object.fromEntries(kinds.map((kind) => [kind, measure('search', RUNS, kind)])) as Record<
    SearchKind,
    Sample
  >;
  const slowest = kinds.reduce((a, b) => (searches[b].ms > searches[a].ms ? b : a));
  const rank = measure('search-rank', BASELINE_RUNS);
  report({
    bench: 'store.search',
    value: round(searches[slowest].ms),
    ...common,
    goal: GOALS_MS.search,
    slowest,
    ...Object.fromEntries(kinds.map((kind) => [kind, round(searches[kind].ms)])),
    queries: manifest.queries,
    matches: manifest.matches,
    baseline: 'bm25-ranked top 50 for the common word',
    baseline_value: round(rank.ms),
    ratio: round(searches.common.ms / rank.ms),
  });
}

function median(dir: string, figure: string, runs: number, kind?: SearchKind): Sample {
  const samples: Sample[] = [];
  for (let i = 0; i < runs; i++) samples.push(probe(dir, figure, kind));
  samples.sort((a, b) => a.ms - b.ms);
  return samples[Math.floor(samples.length / 2)]!;
}

function probe(dir: string, figure: string, kind?: SearchKind): Sample {
  const args = ['--import', 'tsx', join(__dirname, 'store-probe.ts'), dir, figure, ...(kind ? [kind] : [])];
  const child = spawnSync(process.execPath, args, { encoding: 'utf8', timeout: 120_000 });
  if (child.status !== 0) {
    throw new Error(`store probe ${figure} ${kind ?? ''} failed: ${child.stderr || child.error?.message}`);
  }
  const sample = JSON.parse(child.stdout.trim().split('\n').at(-1)!) as Sample;
  if (sample.rows === 0) throw new Error(`store probe ${figure} ${kind ?? ''} found nothing.`);
  return sample;
}
