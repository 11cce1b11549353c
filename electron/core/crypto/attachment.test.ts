/**
 * Attachment streams. THREAT-MODEL.md row "relay operator": a stored blob that is truncated,
 * reordered, swapped or altered is refused; the relay never sees the key.
 */
import { createHash, randomBytes } from 'node:crypto';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { ParleyError } from '../../../shared/errors';
import { AttachmentDecryptor } from './attachment-decryptor';
import { AttachmentEncryptor, type EncryptedAttachment } from './attachment-encryptor';
import {
  ATTACHMENT_CHUNK_BYTES,
  ATTACHMENT_FRAME_BYTES,
  ATTACHMENT_PREFIX_BYTES,
  attachmentCiphertextSize,
} from './attachment-format';
import { loadSodium, type Sodium } from './sodium';

let sodium: Sodium;
beforeAll(async () => {
  sodium = await loadSodium();
});

/** Splits `bytes` into pieces of the given sizes (cycled), as a file or socket might deliver them. */
function pieces(bytes: Uint8Array, sizes: readonly number[] = [ATTACHMENT_CHUNK_BYTES]): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let at = 0, i = 0; at < bytes.length; i++) {
    const size = Math.max(1, sizes[i % sizes.length]!);
    out.push(bytes.subarray(at, at + size));
    at += size;
  }
  return out;
}

async function collect(source: Iterable<Uint8Array>, transform: NodeJS.ReadWriteStream): Promise<Buffer> {
  const parts: Buffer[] = [];
  await pipeline(
    Readable.from(source, { objectMode: false }),
    transform,
    new Writable({
      write(chunk: Buffer, _encoding, callback) {
        parts.push(chunk);
        callback();
      },
    }),
  );
  return Buffer.concat(parts);
}

async function encrypt(plaintext: Uint8Array, sizes?: readonly number[]) {
  const encryptor = new AttachmentEncryptor(sodium);
  const blob = await collect(pieces(plaintext, sizes), encryptor);
  return { blob, info: encryptor.result() };
}

function decryptor(info: EncryptedAttachment) {
  return new AttachmentDecryptor(sodium, {
    key: info.key,
    ciphertextHash: info.ciphertextHash,
    plaintextSize: info.plaintextSize,
  });
}

async function failure(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(ParleyError);
    return (error as ParleyError).code;
  }
  throw new Error('expected the stream to fail');
}

const K = ATTACHMENT_CHUNK_BYTES;

describe('attachment streams', () => {
  it.each([0, 1, K - 1, K, K + 1, 3 * K, 3 * K + 5])('round-trip a %i-byte file', async (size) => {
    const plaintext = randomBytes(size);
    const { blob, info } = await encrypt(plaintext);
    expect(blob.length).toBe(attachmentCiphertextSize(size));
    expect(info.ciphertextSize).toBe(blob.length);
    expect(info.plaintextSize).toBe(size);
    expect(Buffer.from(info.ciphertextHash)).toEqual(createHash('sha256').update(blob).digest());
    expect(info.key).toHaveLength(32);
    const back = await collect(pieces(blob), decryptor(info));
    expect(back.equals(plaintext)).toBe(true);
  });

  it('uses a fresh key for every file', async () => {
    const plaintext = randomBytes(100);
    const one = await encrypt(plaintext);
    const two = await encrypt(plaintext);
    expect(one.info.key).not.toEqual(two.info.key);
    expect(one.blob.equals(two.blob)).toBe(false);
  });

  it('does not depend on how the input and the blob are split into pieces', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 3 * K }),
        fc.array(fc.integer({ min: 1, max: 2 * K }), { minLength: 1, maxLength: 5 }),
        fc.array(fc.integer({ min: 1, max: 2 * K }), { minLength: 1, maxLength: 5 }),
        async (size, inSizes, outSizes) => {
          const plaintext = randomBytes(size);
          const { blob, info } = await encrypt(plaintext, inSizes);
          expect(blob.length).toBe(attachmentCiphertextSize(size));
          expect((await collect(pieces(blob, outSizes), decryptor(info))).equals(plaintext)).toBe(true);
        },
      ),
      { numRuns: 15 },
    );
  });

  it('refuses a truncated blob, whether cut mid-chunk or at a chunk boundary', async () => {
    const { blob, info } = await encrypt(randomBytes(2 * K + 10));
    const atBoundary = ATTACHMENT_PREFIX_BYTES + 2 * ATTACHMENT_FRAME_BYTES;
    expect(await failure(collect(pieces(blob.subarray(0, atBoundary)), decryptor(info)))).toBe(
      'CRYPTO_STREAM_TRUNCATED',
    );
    expect(await failure(collect(pieces(blob.subarray(0, blob.length - 3)), decryptor(info)))).toBe(
      'CRYPTO_STREAM_TRUNCATED',
    );
    // Cut at a boundary and claimed to be that long: the final chunk is missing.
    const short = { ...info, plaintextSize: 2 * K };
    const cut = blob.subarray(0, atBoundary);
    const hash = createHash('sha256').update(cut).digest();
    expect(await failure(collect(pieces(cut), decryptor({ ...short, ciphertextHash: hash })))).toBe(
      'CRYPTO_STREAM_TRUNCATED',
    );
  });

  it('refuses reordered chunks', async () => {
    const { blob, info } = await encrypt(randomBytes(3 * K));
    const frame = (i: number) =>
      blob.subarray(
        ATTACHMENT_PREFIX_BYTES + i * ATTACHMENT_FRAME_BYTES,
        ATTACHMENT_PREFIX_BYTES + (i + 1) * ATTACHMENT_FRAME_BYTES,
      );
    const reordered = Buffer.concat([
      blob.subarray(0, ATTACHMENT_PREFIX_BYTES),
      frame(1),
      frame(0),
      frame(2),
    ]);
    expect(await failure(collect(pieces(reordered), decryptor(info)))).toBe('CRYPTO_STREAM_CORRUPT');
  });

  it('refuses a chunk swapped in from another file under the same key', async () => {
    const encryptor = new AttachmentEncryptor(sodium);
    const first = await collect(pieces(randomBytes(2 * K)), encryptor);
    const info = encryptor.result();
    const other = new AttachmentEncryptor(sodium, { key: info.key });
    const second = await collect(pieces(randomBytes(2 * K)), other);
    const swapped = Buffer.concat([
      first.subarray(0, ATTACHMENT_PREFIX_BYTES + ATTACHMENT_FRAME_BYTES),
      second.subarray(ATTACHMENT_PREFIX_BYTES + ATTACHMENT_FRAME_BYTES),
    ]);
    expect(await failure(collect(pieces(swapped), decryptor(info)))).toBe('CRYPTO_STREAM_CORRUPT');
  });

  it('refuses an altered byte anywhere, a wrong key and a wrong hash', async () => {
    const { blob, info } = await encrypt(randomBytes(K + 100));
    for (const at of [1, ATTACHMENT_PREFIX_BYTES, ATTACHMENT_PREFIX_BYTES + K, blob.length - 1]) {
      const altered = Buffer.from(blob);
      altered[at]! ^= 1;
      expect(await failure(collect(pieces(altered), decryptor(info)))).toBe('CRYPTO_STREAM_CORRUPT');
    }
    const wrongKey = { ...info, key: new AttachmentEncryptor(sodium).key };
    expect(await failure(collect(pieces(blob), decryptor(wrongKey)))).toBe('CRYPTO_STREAM_CORRUPT');
    const wrongHash = { ...info, ciphertextHash: new Uint8Array(32) };
    expect(await failure(collect(pieces(blob), decryptor(wrongHash)))).toBe('CRYPTO_STREAM_CORRUPT');
  });

  it('refuses extra bytes after the end and an unknown format version', async () => {
    const { blob, info } = await encrypt(randomBytes(10));
    expect(await failure(collect(pieces(Buffer.concat([blob, Buffer.of(0)])), decryptor(info)))).toBe(
      'CRYPTO_STREAM_CORRUPT',
    );
    const future = Buffer.from(blob);
    future[0] = 2;
    expect(await failure(collect(pieces(future), decryptor(info)))).toBe('WIRE_BAD_VERSION');
  });

  it('keeps memory flat: the WebAssembly heap and stream buffers do not grow with the file', async () => {
    const heap = () => (sodium as unknown as { libsodium: { HEAPU8: Uint8Array } }).libsodium.HEAPU8.length;
    await encrypt(randomBytes(4 * K)); // warm up the heap to its working size
    const heapBefore = heap();
    const chunk = randomBytes(K);
    const total = 512; // 32 MiB
    const encryptor = new AttachmentEncryptor(sodium);
    let maxBuffered = 0;
    let maxLag = 0; // plaintext read from the source but not yet written out as ciphertext
    let produced = 0;
    let seen = 0;
    const blobHash = createHash('sha256');
    await pipeline(
      Readable.from(
        (function* () {
          for (let i = 0; i < total; i++) {
            produced += chunk.length;
            yield chunk;
          }
        })(),
      ),
      encryptor,
      new Writable({
        highWaterMark: K,
        write(piece: Buffer, _encoding, callback) {
          seen += piece.length;
          maxLag = Math.max(maxLag, produced - seen);
          blobHash.update(piece);
          maxBuffered = Math.max(maxBuffered, encryptor.readableLength + encryptor.writableLength);
          setImmediate(callback); // a slow consumer, so back-pressure matters
        },
      }),
    );
    const info = encryptor.result();
    expect(seen).toBe(attachmentCiphertextSize(total * K));
    expect(Buffer.from(info.ciphertextHash)).toEqual(blobHash.digest());
    expect(heap()).toBe(heapBefore);
    expect(maxBuffered).toBeLessThanOrEqual(4 * ATTACHMENT_FRAME_BYTES);
    expect(maxLag).toBeLessThanOrEqual(8 * K);
  });
});
