/**
 * Block-aligned memory for direct I/O, which wants buffers, offsets and lengths on block
 * boundaries. A WebAssembly memory's buffer starts on a page boundary (V8 maps it with the
 * system's page allocator), which Node's own Buffers do not promise.
 */

/** Alignment that satisfies direct I/O on 512-byte and 4 KiB-sector disks alike. */
export const BLOCK = 4096;
const WASM_PAGE = 64 * 1024;

/** The one piece of the WebAssembly API used here (the Node parts' TypeScript libraries omit it). */
declare const WebAssembly: {
  Memory: new (descriptor: { initial: number }) => { readonly buffer: ArrayBuffer };
};

/** `count` buffers of `bytes` each (a multiple of BLOCK), every one starting on a block boundary. */
export function alignedBuffers(count: number, bytes: number): Uint8Array[] {
  if (bytes % BLOCK !== 0) throw new RangeError(`aligned buffers come in multiples of ${BLOCK} bytes`);
  const memory = new WebAssembly.Memory({ initial: Math.ceil((count * bytes) / WASM_PAGE) });
  return Array.from({ length: count }, (_, i) => new Uint8Array(memory.buffer, i * bytes, bytes));
}
