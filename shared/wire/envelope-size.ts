/**
 * The sizes a sealed envelope may have on the wire. The relay sees only these buckets (and the
 * recipient device and the time), so it can refuse anything else without opening it. An
 * envelope is crypto_box_seal(pad(inner)), and crypto_box_seal adds 48 bytes.
 */
export const SEALED_BOX_OVERHEAD = 48;

/** Every size a sealed envelope can have, smallest first. */
export const SEALED_ENVELOPE_SIZES: readonly number[] = [1024, 4096, 16384, 65536, 262144];

export const MAX_SEALED_ENVELOPE_BYTES = 262144;

/** The largest inner envelope that fits: padding always adds at least one byte. */
export const MAX_INNER_ENVELOPE_BYTES = MAX_SEALED_ENVELOPE_BYTES - SEALED_BOX_OVERHEAD - 1;

export function isSealedEnvelopeSize(size: number): boolean {
  return SEALED_ENVELOPE_SIZES.includes(size);
}

/** The padded plaintext size for an inner envelope of `length` bytes, or undefined if none fits. */
export function paddedInnerSize(length: number): number | undefined {
  for (const sealed of SEALED_ENVELOPE_SIZES) {
    const padded = sealed - SEALED_BOX_OVERHEAD;
    if (length < padded) return padded;
  }
  return undefined;
}
