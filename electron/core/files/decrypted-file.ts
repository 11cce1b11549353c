/**
 * A file's encrypted copy read back as plaintext, for saving: the opening stream checks every
 * chunk, the size and the final chunk (the copy's hash was checked when it was downloaded or
 * made, and any change to it fails a chunk's authentication). A copy that fails to decrypt is
 * damaged: the stream errors (isDamage), so whatever was being written is discarded, and
 * `onDamaged` lets the caller delete the copy.
 */
import { createReadStream } from 'node:fs';
import { pipeline, type Readable } from 'node:stream';
import { ParleyError } from '../../../shared/errors';
import type { AttachmentCrypto, AttachmentKey } from '../crypto';

const READ_BYTES = 1024 * 1024;
const DAMAGE: ReadonlySet<string> = new Set([
  'CRYPTO_STREAM_CORRUPT',
  'CRYPTO_STREAM_TRUNCATED',
  'WIRE_BAD_VERSION',
  'FILE_DAMAGED',
]);

export interface DecryptionInput {
  readonly path: string;
  /** Used, not kept: the caller wipes it. */
  readonly key: AttachmentKey;
  readonly size: number;
}

/** The copy failed to decrypt: it is not what its sender sent. */
export function isDamage(error: unknown): boolean {
  return error instanceof ParleyError && DAMAGE.has(error.code);
}

export function openDecrypted(
  crypto: AttachmentCrypto,
  input: DecryptionInput,
  onDamaged: () => void,
): Readable {
  const opening = crypto.opening(input.key, input.size);
  return pipeline(createReadStream(input.path, { highWaterMark: READ_BYTES }), opening, (error) => {
    if (isDamage(error)) onDamaged();
  });
}
