/**
 * libsodium.js allocates each secretstream state (52 bytes, holding the stream key) in the
 * WebAssembly heap and never frees it. This wipes and frees it when a stream is done, through
 * the raw module the wrapper exposes; if that is missing, the state is left to the wrapper.
 */
import type { Sodium } from './sodium';

const SECRETSTREAM_STATE_BYTES = 52;

interface RawModule {
  readonly HEAPU8?: Uint8Array;
  _free?(address: number): void;
}

export function releaseSecretstreamState(sodium: Sodium, state: unknown): void {
  const raw = (sodium as unknown as { libsodium?: RawModule }).libsodium;
  if (typeof state !== 'number' || !raw?.HEAPU8 || !raw._free) return;
  raw.HEAPU8.fill(0, state, state + SECRETSTREAM_STATE_BYTES);
  raw._free(state);
}
