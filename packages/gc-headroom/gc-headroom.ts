/**
 * Sets the growth V8 allows its old generation between full collections to a factor of 4 of
 * what is live (--heap-growing-percent=300): the top of the range V8 chooses from by itself.
 * Called first thing by the processes that stream attachments: the app's main process, the
 * browser host and the relay.
 *
 * Why: V8 picks the factor from how fast the program allocates on the JS heap against how fast
 * it collects. A file transfer allocates little there (its bytes are ArrayBuffers outside the
 * heap), so V8 settles at 1.2–1.4 over a 20–30 MB heap. But V8 also counts the ArrayBuffers
 * allocated since the last full collection (socket reads, worker replies) against that limit,
 * and a transfer always has some MB of them in flight: each full collection started the next
 * one. `--trace-gc` counted ~100 full collections per GiB in the recipient and ~45 in the relay,
 * each marking the whole heap; the files benchmark's three processes spent 17–24 CPU-seconds on
 * 1 GiB, and 12–14 with this. See this package's README.
 *
 * The flag may be set while the process runs: V8 reads it whenever it computes the next limit.
 */
import { setFlagsFromString } from 'node:v8';

export const OLD_GENERATION_GROWTH_PERCENT = 300;

/** `setFlags`: V8's (node:v8 setFlagsFromString); a parameter for tests. */
export function widenGcHeadroom(setFlags: (flags: string) => void = setFlagsFromString): void {
  setFlags(`--heap-growing-percent=${OLD_GENERATION_GROWTH_PERCENT}`);
}
