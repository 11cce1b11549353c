/**
 * "Save as" on a received file that is not downloaded yet: one pass instead of two. The download
 * writes the blob to its `.part` copy as usual and gives the same bytes to this tap, which
 * decrypts them (AttachmentCrypto's opening stream, every chunk authenticated) into `plaintext`,
 * the stream the FileSaver writes to a temporary file. The tap ends only after the download has
 * checked the blob hash and kept the copy; anything else fails the plaintext stream, so the
 * saver removes what it wrote and no file appears under the name.
 */
import { PassThrough, pipeline, type Readable } from 'node:stream';
import type { AttachmentCrypto, AttachmentKey } from '../crypto';
import type { DownloadTap } from './blob-download';

/** Ciphertext queued ahead of the decryption. */
const QUEUE_BYTES = 1024 * 1024;

export class DecryptingTap implements DownloadTap {
  readonly plaintext: Readable;
  private readonly ciphertext = new PassThrough({ highWaterMark: QUEUE_BYTES });
  private bytes = 0;

  constructor(crypto: AttachmentCrypto, key: AttachmentKey, plaintextSize: number) {
    this.plaintext = pipeline(this.ciphertext, crypto.opening(key, plaintextSize), () => {});
  }

  get taken(): number {
    return this.bytes;
  }

  /** A save that stopped (cancelled, disk full) takes nothing more; the download goes on. */
  async take(bytes: Uint8Array): Promise<void> {
    this.bytes += bytes.length;
    if (this.plaintext.destroyed || this.ciphertext.write(bytes)) return;
    await new Promise<void>((resolve) => {
      const room = () => {
        this.ciphertext.off('drain', room);
        this.plaintext.off('close', room);
        resolve();
      };
      this.ciphertext.on('drain', room);
      this.plaintext.on('close', room);
    });
  }

  /** The download is complete and its hash checked: the decryption may finish. */
  end(): void {
    this.ciphertext.end();
  }

  /** The download failed or stopped: nothing of the plaintext may be kept. */
  fail(error: Error): void {
    this.ciphertext.destroy(error);
  }
}
