/**
 * crypto_secretstream_xchacha20poly1305 push and pull for attachment chunks, on a state made by
 * the wrapper's init_push / init_pull. The direct path copies each chunk into one WebAssembly
 * buffer owned per libsodium instance, calls libsodium there (sodium-module.ts) and copies the
 * result into uninitialized memory (the wrapper allocates and zero-fills 64 KiB per call, about a
 * fifth of the cost of a push). wipe() clears that buffer when a stream ends, which the
 * wrapper never does for its copies of the plaintext. Same bytes either way.
 */
import type { Sodium } from './sodium';
import { type SodiumModule, sodiumModule } from './sodium-module';

export const SECRETSTREAM_CHUNK_BYTES = 64 * 1024;
const ABYTES = 17;

export interface SecretstreamChunks {
  push(state: number, chunk: Uint8Array, tag: number): Uint8Array;
  /** The chunk's plaintext and tag, or null when it does not authenticate. */
  pull(state: number, frame: Uint8Array): { readonly message: Uint8Array; readonly tag: number } | null;
  /** As push, but the result may be a view valid only until the next call: copy it to keep it. */
  pushView(state: number, chunk: Uint8Array, tag: number): Uint8Array;
  /** As pull, but the message may be a view valid only until the next call. */
  pullView(state: number, frame: Uint8Array): { readonly message: Uint8Array; readonly tag: number } | null;
  /** Clears any plaintext left in buffers this object owns. */
  wipe(): void;
}

const instances = new WeakMap<Sodium, SecretstreamChunks>();

export function secretstreamChunksFor(sodium: Sodium): SecretstreamChunks {
  let chunks = instances.get(sodium);
  if (!chunks) {
    const lib = sodiumModule(sodium);
    chunks = (lib && DirectSecretstream.create(lib, sodium)) || wrapperSecretstream(sodium);
    instances.set(sodium, chunks);
  }
  return chunks;
}

type WrapperState = Parameters<Sodium['crypto_secretstream_xchacha20poly1305_push']>[0];

export function wrapperSecretstream(sodium: Sodium): SecretstreamChunks {
  const push = (state: number, chunk: Uint8Array, tag: number) =>
    sodium.crypto_secretstream_xchacha20poly1305_push(state as unknown as WrapperState, chunk, null, tag);
  const pull = (state: number, frame: Uint8Array) => {
    const result = sodium.crypto_secretstream_xchacha20poly1305_pull(
      state as unknown as WrapperState,
      frame,
      null,
    );
    return result ? { message: result.message, tag: result.tag } : null;
  };
  return { push, pull, pushView: push, pullView: pull, wipe: () => undefined };
}

export class DirectSecretstream implements SecretstreamChunks {
  // Layout: input (one frame), output (one frame), one tag byte.
  private static readonly SIZE = 2 * (SECRETSTREAM_CHUNK_BYTES + ABYTES) + 1;

  static create(lib: SodiumModule, sodium: Sodium): DirectSecretstream | undefined {
    const base = lib._malloc(DirectSecretstream.SIZE);
    return base === 0 ? undefined : new DirectSecretstream(lib, base, wrapperSecretstream(sodium));
  }

  private constructor(
    private readonly lib: SodiumModule,
    private readonly base: number,
    private readonly fallback: SecretstreamChunks,
  ) {}

  push(state: number, chunk: Uint8Array, tag: number): Uint8Array {
    return copied(this.pushView(state, chunk, tag));
  }

  pull(state: number, frame: Uint8Array): { readonly message: Uint8Array; readonly tag: number } | null {
    const result = this.pullView(state, frame);
    return result && { message: copied(result.message), tag: result.tag };
  }

  pushView(state: number, chunk: Uint8Array, tag: number): Uint8Array {
    if (chunk.length > SECRETSTREAM_CHUNK_BYTES) return this.fallback.push(state, chunk, tag);
    const input = this.base;
    const output = input + SECRETSTREAM_CHUNK_BYTES + ABYTES;
    const heap = this.lib.HEAPU8;
    heap.set(chunk, input);
    this.lib._crypto_secretstream_xchacha20poly1305_push(
      state,
      output,
      0,
      input,
      chunk.length,
      0,
      0,
      0,
      0,
      tag,
    );
    return heap.subarray(output, output + chunk.length + ABYTES);
  }

  pullView(state: number, frame: Uint8Array): { readonly message: Uint8Array; readonly tag: number } | null {
    if (frame.length > SECRETSTREAM_CHUNK_BYTES + ABYTES) return this.fallback.pull(state, frame);
    if (frame.length < ABYTES) return null;
    const input = this.base;
    const output = input + SECRETSTREAM_CHUNK_BYTES + ABYTES;
    const tagAt = output + SECRETSTREAM_CHUNK_BYTES + ABYTES;
    const heap = this.lib.HEAPU8;
    heap.set(frame, input);
    const status = this.lib._crypto_secretstream_xchacha20poly1305_pull(
      state,
      output,
      0,
      tagAt,
      input,
      frame.length,
      0,
      0,
      0,
      0,
    );
    if (status !== 0) return null;
    return { message: heap.subarray(output, output + frame.length - ABYTES), tag: heap[tagAt]! };
  }

  wipe(): void {
    this.lib.HEAPU8.fill(0, this.base, this.base + DirectSecretstream.SIZE);
  }
}

/** A copy in uninitialized memory of its own (the wrapper would zero-fill it first). */
function copied(view: Uint8Array): Uint8Array {
  const bytes = Buffer.allocUnsafeSlow(view.length);
  bytes.set(view);
  return bytes;
}
