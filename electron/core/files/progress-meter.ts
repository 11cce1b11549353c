/** Speed of a transfer over the last few seconds, for "2.1 MB/s, 40 s left". */
const WINDOW_MS = 3_000;
/** One sample per this many milliseconds at most: record() runs for every chunk of a transfer. */
const SAMPLE_MS = 100;

export class ProgressMeter {
  private readonly samples: { at: number; done: number }[] = [];

  constructor(private readonly now: () => number) {}

  record(done: number): void {
    const at = this.now();
    const last = this.samples.at(-1);
    if (last && at - last.at < SAMPLE_MS && this.samples.length > 1) {
      last.done = done;
      return;
    }
    this.samples.push({ at, done });
    while (this.samples.length > 2 && at - this.samples[0]!.at > WINDOW_MS) this.samples.shift();
  }

  /** Forgets the history (after a pause, the old speed means nothing). */
  reset(): void {
    this.samples.length = 0;
  }

  bytesPerSecond(): number {
    const first = this.samples[0];
    const last = this.samples.at(-1);
    if (!first || !last || last.at <= first.at) return 0;
    return Math.max(0, Math.round(((last.done - first.done) * 1000) / (last.at - first.at)));
  }
}
