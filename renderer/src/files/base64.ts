/**
 * Bytes to base64 for file.chunk and file.begin's thumbnail. btoa takes a "binary string"; it is
 * built in slices because String.fromCharCode(...bytes) on 256 KiB overflows the call stack.
 */
const SLICE = 0x8000;

export function bytesToBase64(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += SLICE) {
    binary += String.fromCharCode(...bytes.subarray(i, i + SLICE));
  }
  return btoa(binary);
}
