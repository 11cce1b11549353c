/** One benchmark result, printed as one JSON line (CONVENTIONS.md, Benchmarks). */
export interface BenchLine {
  readonly bench: string;
  readonly value: number;
  readonly unit: string;
  readonly baseline?: string;
  readonly baseline_value?: number;
  readonly ratio?: number;
  readonly [extra: string]: unknown;
}

export type Report = (line: BenchLine) => void;

export function printLine(line: BenchLine): void {
  process.stdout.write(`${JSON.stringify(line)}\n`);
}

/** Rounds to a few significant digits for readable output. */
export function round(value: number, digits = 3): number {
  if (!Number.isFinite(value) || value === 0) return value;
  const scale = 10 ** Math.max(0, digits - Math.ceil(Math.log10(Math.abs(value))));
  return Math.round(value * scale) / scale;
}
