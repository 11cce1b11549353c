/** What file transfers need from the relay connection (RelayClient's blob routes). */
import type { Readable } from 'node:stream';

export interface RelayBlob {
  readonly id: string;
  /** The capability to download it: it travels (with the id) inside the encrypted message. */
  readonly token: string;
  readonly expiresAt: number;
}

export interface RelayBlobStatus {
  /** Bytes the relay holds: where an interrupted upload resumes. */
  readonly offset: number;
  readonly size: number;
  readonly complete: boolean;
}

export interface RelayBlobDownload {
  readonly size: number;
  /** The first byte `body` carries. */
  readonly start: number;
  /** A Node stream; destroy it to stop early. */
  readonly body: Readable;
}

export interface BlobPort {
  /** Reserves `size` bytes; the relay deletes the blob after `recipients` complete fetches. */
  createBlob(size: number, recipients: number | null): Promise<RelayBlob>;
  blobStatus(id: string): Promise<RelayBlobStatus>;
  /** Appends `source` at `offset`, which must be what the relay holds. */
  uploadBlob(blob: RelayBlob, offset: number, source: AsyncIterable<Uint8Array>): Promise<RelayBlobStatus>;
  /** The blob's bytes from `start` on. */
  downloadBlob(id: string, token: string, start: number): Promise<RelayBlobDownload>;
  /** Deletes a blob this device uploaded. */
  deleteBlob(id: string): Promise<void>;
  /** Tells the relay this device is done with a blob it received (or will never fetch it). */
  releaseBlob(id: string, token: string): Promise<void>;
}
