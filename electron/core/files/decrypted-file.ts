/**
 * A file's encrypted copy read back as plaintext, for saving: AttachmentDecryptor checks every
 * chunk and, at the end, the blob hash. A copy that fails to decrypt is damaged: the stream
 * errors (isDamage), so whatever was being written is discarded, and `onDamaged` lets the caller
 * delete the copy. The key is a copy, wiped when the stream ends.
 */
import { createReadStream } from 'node:fs';
import { pipeline, type Readable } from 'node:stream';
import { ParleyError } from '../../../shared/errors';
import { AttachmentDecryptor, asAttachmentKey, type Sodium, wipe } from '../crypto';

const READ_BYTES = 256 * 1024;
const DAMAGE: ReadonlySet<string> = new Set([
  'CRYPTO_STREAM_CORRUPT',
  'CRYPTO_STREAM_TRUNCATED',
  'WIRE_BAD_VERSION',
  'FILE_DAMAGED',
]);

export interface DecryptionInput {
  readonly path: string;
  readonly key: Uint8Array;
  readonly ciphertextHash: Uint8Array;
  readonly size: number;
}

/** The copy failed to decrypt: it is not what its sender sent. */
export function isDamage(error: unknown): boolean {
  return error instanceof ParleyError && DAMAGE.has(error.code);
}

export function openDecrypted(sodium: Sodium, input: DecryptionInput, onDamaged: () => void): Readable {
  const key = asAttachmentKey(Uint8Array.from(input.key));
  const decryptor = new AttachmentDecryptor(sodium, {
    key,
    ciphertextHash: input.ciphertextHash,
    plaintextSize: input.size,
  });
  return pipeline(createReadStream(input.path, { highWaterMark: READ_BYTES }), decryptor, (error) => {
    wipe(sodium, key);
    if (isDamage(error)) onDamaged();
  });
}
