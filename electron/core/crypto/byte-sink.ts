/**
 * Where a sealing or opening engine puts its output. The bytes may be a view of a buffer the
 * engine reuses (the WebAssembly heap): valid only during the call, so copy what you keep.
 */
export type ByteSink = (bytes: Uint8Array) => void;
