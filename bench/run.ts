/**
 * `npm run bench` runs every `bench/*.bench.ts`; `npm run bench -- NAME` runs `bench/NAME.bench.ts`.
 * Each benchmark module exports `run(report)` and prints JSON lines through it.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { printLine, type Report } from './report';

interface BenchModule {
  run(report: Report): Promise<void>;
}

const dir = __dirname;
const available = readdirSync(dir)
  .filter((f) => f.endsWith('.bench.ts'))
  .map((f) => f.slice(0, -'.bench.ts'.length))
  .sort();

const wanted = process.argv.slice(2);
const unknown = wanted.filter((name) => !available.includes(name));
if (unknown.length > 0) {
  console.error(`Unknown benchmark ${unknown.join(', ')}. Available: ${available.join(', ')}.`);
  process.exit(2);
}

async function main(): Promise<void> {
  for (const name of wanted.length > 0 ? wanted : available) {
    const mod = (await import(pathToFileURL(join(dir, `${name}.bench.ts`)).href)) as BenchModule;
    await mod.run(printLine);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
