/**
 * Random bytes from the operating system's CSPRNG through node:crypto. Under WebAssembly each
 * libsodium randombytes_buf call costs ~45 µs (ENVIRONMENT.md), 20 times this, so key and id
 * generation on hot paths draws from here.
 */
import { randomFillSync } from 'node:crypto';

export type RandomBytes = (length: number) => Uint8Array;

export const systemRandomBytes: RandomBytes = (length) => randomFillSync(new Uint8Array(length));
