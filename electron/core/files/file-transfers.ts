/**
 * Files for one unlocked account (issue 6): sending (the app hands a file over in chunks, it is
 * encrypted as it arrives and uploaded to the relay while it grows; the message with key, hash,
 * size, name and type goes out only once the relay holds all of it), receiving (on demand or
 * automatically below a size the person chose; the hash is checked before anything is kept),
 * saving (decrypted as a stream to the FileSaver), resuming after a lost connection or a
 * restart, progress and cancel, and deleting (crypto-shredding: the key goes with the message,
 * the encrypted copy is removed, the relay is asked to delete the blob).
 */
import { open, rename } from 'node:fs/promises';
import { type ErrorInfo, ParleyError, toErrorInfo } from '../../../shared/errors';
import type {
  FileBegun,
  FileRulesView,
  FileSaveView,
  FileTransferState,
  MessageView,
  TransferProgressView,
} from '../../../shared/ipc';
import { MAX_FILE_CHUNK_BYTES, MAX_FILE_THUMBNAIL_BYTES } from '../../../shared/ipc-schemas';
import type { EventHub } from '../api/event-hub';
import type { CoreLogger } from '../core';
import {
  type AttachmentCrypto,
  asAttachmentKey,
  attachmentCiphertextSize,
  type Sodium,
  wipe,
} from '../crypto';
import { Backoff } from '../relay-client/backoff';
import type { Clock, Store, StoredAttachment } from '../store';
import { plaintextDone } from './attachment-view';
import { BlobCleaner } from './blob-cleaner';
import { damaged, downloadFromBlob } from './blob-download';
import type { BlobPort, RelayBlob } from './blob-port';
import { LocalCopyError, uploadToBlob } from './blob-upload';
import { isDamage, openDecrypted } from './decrypted-file';
import { DecryptingTap } from './decrypting-tap';
import type { EncryptedFileCache } from './encrypted-file-cache';
import type { FileMessages } from './file-messages';
import { checkFileAllowed, type FilePolicy, normalizeMimeType, rulesView } from './file-policy';
import type { FileSaver, SavableFile, SaveOutcome } from './file-saver';
import { completeFile, type GrowingFile } from './growing-file';
import { ProgressMeter } from './progress-meter';
import { sanitizeFileName } from './safe-file-name';
import { DEFAULT_SEGMENT_SIZING, type SegmentSizing } from './segment-sizing';
import { decodeStrictBase64 } from './strict-base64';
import { thumbnailType } from './thumbnail';
import { UploadStaging } from './upload-staging';

export interface FileTransferTuning {
  /** How long upload requests are (segment-sizing.ts). */
  readonly segments: SegmentSizing;
  readonly retryMinMs: number;
  readonly retryMaxMs: number;
  /** A file the app stops handing over for this long is cancelled. */
  readonly stagingIdleMs: number;
  /** Fewest milliseconds between two progress events of one transfer. */
  readonly progressIntervalMs: number;
  /** Downloads running at once; more wait their turn. */
  readonly maxDownloads: number;
}

export const DEFAULT_FILE_TUNING: FileTransferTuning = {
  segments: DEFAULT_SEGMENT_SIZING,
  retryMinMs: 500,
  retryMaxMs: 30_000,
  stagingIdleMs: 10 * 60_000,
  progressIntervalMs: 250,
  maxDownloads: 3,
};

/** How often an upload's progress is written to the store (the relay is what resume trusts). */
const PERSIST_PROGRESS_MS = 5_000;

/** Received files up to this size download by themselves unless the person changes it. */
export const DEFAULT_AUTO_DOWNLOAD_BYTES = 8 * 1024 * 1024;
const AUTO_DOWNLOAD_SETTING = 'files.autoDownloadMaxBytes';

/** Upload refusals that trying again cannot fix. */
const PERMANENT_UPLOAD: ReadonlySet<string> = new Set([
  'RELAY_BLOB_TOO_LARGE',
  'INVALID_ARGUMENT',
  'RELAY_DEVICE_REVOKED',
  'RELAY_USER_DEACTIVATED',
  'RELAY_UNKNOWN_DEVICE',
  'FILE_TOO_LARGE',
]);

/**
 * A received file this device has not released yet (it releases a blob once it holds a verified
 * copy, or finds the relay's copy damaged): deleting it releases it, so the relay can let go.
 */
const UNFETCHED: ReadonlySet<string> = new Set(['available', 'downloading', 'blocked']);

export interface FileTransfersDeps {
  readonly store: Store;
  readonly sodium: Sodium;
  /** Where files are encrypted and decrypted (the attachment worker in the app). */
  readonly crypto: AttachmentCrypto;
  readonly relay: BlobPort;
  readonly messages: FileMessages;
  readonly events: EventHub;
  readonly clock: Clock;
  readonly logger: CoreLogger;
  readonly cache: EncryptedFileCache;
  readonly policy: FilePolicy;
  /** How files are saved (the shell's); null where saving is not possible. */
  readonly saver: FileSaver | null;
  readonly tuning?: Partial<FileTransferTuning>;
}

interface Transfer {
  readonly messageId: string;
  readonly conversationId: string;
  readonly direction: 'upload' | 'download';
  readonly size: number;
  readonly ciphertextSize: number;
  readonly controller: AbortController;
  readonly meter: ProgressMeter;
  state: FileTransferState;
  paused: boolean;
  /** Ciphertext bytes done. */
  done: number;
  error: ErrorInfo | null;
  lastReport: number;
  /** Ends a pause early (the relay came back). */
  wake: (() => void) | null;
  /** While the app is still handing the file over. */
  staging: UploadStaging | null;
  /** Resolves once the whole file is encrypted and its hash stored. */
  staged: Promise<void>;
  markStaged: () => void;
  idle: NodeJS.Timeout | null;
  /** When the app last handed over a piece. */
  touchedAt: number;
  /** A progress report held back by the interval, due soon. */
  trailing: NodeJS.Timeout | null;
  running: Promise<void>;
}

export class FileTransfers {
  private readonly transfers = new Map<string, Transfer>();
  private readonly tuning: FileTransferTuning;
  private readonly cleaner: BlobCleaner;
  private readonly downloadTurns: (() => void)[] = [];
  private downloading = 0;
  private online = false;
  private stopped = false;

  constructor(private readonly deps: FileTransfersDeps) {
    this.tuning = { ...DEFAULT_FILE_TUNING, ...deps.tuning };
    this.cleaner = new BlobCleaner(deps.store, deps.relay, deps.logger);
  }

  // ---- rules and setting ---------------------------------------------------------------------

  rules(): FileRulesView {
    return rulesView(this.deps.policy, {
      maxChunkBytes: MAX_FILE_CHUNK_BYTES,
      maxThumbnailBytes: MAX_FILE_THUMBNAIL_BYTES,
      autoDownloadMaxBytes: this.autoDownloadMaxBytes(),
      saveWhileDownloading: this.deps.saver?.writesBeforeAnswering ?? false,
    });
  }

  setAutoDownload(maxBytes: number): FileRulesView {
    this.deps.store.settings.set(AUTO_DOWNLOAD_SETTING, maxBytes);
    return this.rules();
  }

  private autoDownloadMaxBytes(): number {
    const value = this.deps.store.settings.get(AUTO_DOWNLOAD_SETTING);
    return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0
      ? value
      : DEFAULT_AUTO_DOWNLOAD_BYTES;
  }

  // ---- sending -------------------------------------------------------------------------------

  /**
   * Starts sending a file: checks it against the rules (before anything is read), reserves its
   * blob on the relay (whose own size limit is also checked here, when online), and stores the
   * message, which shows at once with its progress. The app then hands the file over with
   * chunk() and finish().
   */
  async begin(args: {
    conversationId: string;
    name: string;
    size: number;
    mimeType: string;
    thumbnail: string | null;
    text?: string;
  }): Promise<FileBegun> {
    const { sodium, messages, cache, clock } = this.deps;
    this.assertRunning();
    checkFileAllowed(this.deps.policy, args);
    const thumbnail = decodeThumbnail(args.thumbnail);
    const recipients = messages.recipientDevices(args.conversationId);
    const ciphertextSize = attachmentCiphertextSize(args.size);
    const blob = await this.reserveBlob(ciphertextSize, recipients);
    const localFile = cache.newName();
    let staging: UploadStaging;
    try {
      staging = await UploadStaging.create(sodium, this.deps.crypto, cache.path(localFile), args.size);
    } catch (error) {
      this.forgetBlob(blob);
      throw new ParleyError(
        'UNAVAILABLE',
        "Couldn't prepare the file on this device. Check the free disk space.",
        {
          cause: error,
        },
      );
    }
    let view: MessageView;
    try {
      view = messages.createFileMessage(args.conversationId, args.text ?? '', (messageId) => ({
        messageId,
        fileName: sanitizeFileName(args.name),
        mimeType: normalizeMimeType(args.mimeType),
        size: args.size,
        ciphertextSize,
        thumbnail,
        fileKey: staging.key,
        ciphertextHash: null,
        blob: blob && { blobId: blob.id, capabilityToken: blob.token, expiresAt: blob.expiresAt },
        localFile,
        state: 'staging',
        updatedAt: clock(),
      }));
    } catch (error) {
      await staging.abort(error as Error);
      await cache.remove(localFile);
      this.forgetBlob(blob);
      throw error;
    }
    const transfer = this.track(view.id, view.conversationId, 'upload', args.size, ciphertextSize, 'staging');
    transfer.staging = staging;
    this.touchIdle(transfer);
    transfer.running = this.guarded(transfer, this.runUpload(transfer, staging.file));
    this.report(transfer, true);
    return { transferId: view.id, message: view };
  }

  /** Takes the next piece of the file, `data`, at `offset`. */
  async chunk(args: { transferId: string; offset: number; data: Uint8Array }): Promise<{ received: number }> {
    const transfer = this.staging(args.transferId);
    const bytes = args.data;
    if (bytes.length > MAX_FILE_CHUNK_BYTES) {
      throw new ParleyError('INVALID_ARGUMENT', 'A piece of a file is at most 256 KiB.');
    }
    this.touchIdle(transfer);
    try {
      return { received: await transfer.staging!.append(args.offset, bytes) };
    } catch (error) {
      // Out of order or too long: the app may send the right piece. Anything else (a full
      // disk) ends this file: it is removed, and the error says why.
      if (!(error instanceof ParleyError && error.code === 'INVALID_ARGUMENT')) {
        await this.deleteMessage(transfer.messageId).catch(() => {});
      }
      throw error;
    }
  }

  /** The whole file was handed over: its hash is stored, and the upload finishes on its own. */
  async finish(transferId: string): Promise<MessageView> {
    const { store, sodium, messages, clock } = this.deps;
    const transfer = this.staging(transferId);
    const staging = transfer.staging!;
    let result: Awaited<ReturnType<UploadStaging['finish']>>;
    try {
      result = await staging.finish();
    } catch (error) {
      await this.deleteMessage(transfer.messageId).catch(() => {});
      throw error;
    }
    transfer.staging = null;
    this.clearIdle(transfer);
    store.attachments.update(
      transfer.messageId,
      { state: 'uploading', ciphertextHash: result.ciphertextHash },
      clock(),
    );
    wipe(sodium, result.key); // the database holds it now
    transfer.state = 'uploading';
    transfer.markStaged();
    messages.messageUpdated(transfer.messageId);
    this.report(transfer, true);
    return messages.messageView(transfer.messageId);
  }

  /**
   * Cancels a transfer. An upload's message is removed altogether (with its copy and blob); a
   * download stops and the file is available to download again.
   */
  async cancel(transferId: string): Promise<void> {
    const { store, cache, messages, clock } = this.deps;
    const transfer = this.transfers.get(transferId);
    if (transfer?.direction === 'download') {
      await this.abortTransfer(transferId);
      const row = store.attachments.get(transferId);
      if (row?.state === 'downloading') {
        if (row.localFile) await cache.remove(row.localFile);
        store.attachments.update(
          transferId,
          { state: 'available', localFile: null, transferred: 0 },
          clock(),
        );
        wipe(this.deps.sodium, row.fileKey);
      }
      messages.messageUpdated(transferId);
      return;
    }
    const row = store.attachments.get(transferId);
    const sending = row && ['staging', 'uploading', 'failed'].includes(row.state);
    if (!transfer && !(sending && store.messages.get(transferId)?.outgoing)) {
      throw new ParleyError('NOT_FOUND', 'That file is not being sent or received.');
    }
    if (row) wipe(this.deps.sodium, row.fileKey);
    await this.deleteMessage(transferId);
  }

  /** Sends a failed message again: uploads its file again if that is what failed. */
  async retry(messageId: string): Promise<MessageView> {
    const { store, messages, cache, clock } = this.deps;
    const row = store.attachments.get(messageId);
    const message = store.messages.get(messageId);
    if (!row || !message?.outgoing || row.state !== 'failed' || this.transfers.has(messageId)) {
      return messages.retry(messageId);
    }
    if (!row.ciphertextHash || !row.localFile) {
      throw new ParleyError('FILE_CANCELLED', 'This file was not handed over completely. Send it again.');
    }
    this.assertRunning();
    store.attachments.update(messageId, { state: 'uploading', error: null }, clock());
    messages.setDeliveryState(messageId, 'sending');
    const transfer = this.track(
      messageId,
      message.conversationId,
      'upload',
      row.size,
      row.ciphertextSize,
      'uploading',
    );
    transfer.markStaged();
    transfer.running = this.guarded(
      transfer,
      this.runUpload(transfer, completeFile(cache.path(row.localFile), row.ciphertextSize)),
    );
    wipe(this.deps.sodium, row.fileKey);
    messages.messageUpdated(messageId);
    this.report(transfer, true);
    return messages.messageView(messageId);
  }

  private async reserveBlob(ciphertextSize: number, recipients: number | null): Promise<RelayBlob | null> {
    try {
      return await this.deps.relay.createBlob(ciphertextSize, recipients);
    } catch (error) {
      if (error instanceof ParleyError && error.code === 'RELAY_BLOB_TOO_LARGE') {
        throw new ParleyError('FILE_TOO_LARGE', `The relay refused this file: ${error.message}`);
      }
      // Offline or refused for now: the upload reserves one when it can.
      return null;
    }
  }

  private forgetBlob(blob: RelayBlob | null): void {
    if (!blob) return;
    this.deps.store.blobCleanup.add(blob.id, null, this.deps.clock());
    if (this.online) void this.cleaner.run();
  }

  private async runUpload(transfer: Transfer, file: GrowingFile): Promise<void> {
    const { store, relay, messages, clock, logger } = this.deps;
    const { signal } = transfer.controller;
    const backoff = this.backoff();
    const id = transfer.messageId;
    let persistedAt = 0;
    for (;;) {
      if (signal.aborted || !store.isOpen) return;
      const row = store.attachments.get(id);
      if (!row) return;
      wipe(this.deps.sodium, row.fileKey);
      try {
        let blob: RelayBlob;
        if (row.blob) {
          blob = { id: row.blob.blobId, token: row.blob.capabilityToken, expiresAt: row.blob.expiresAt ?? 0 };
        } else {
          blob = await relay.createBlob(
            row.ciphertextSize,
            messages.recipientDevices(transfer.conversationId),
          );
          if (signal.aborted || !store.isOpen) return this.forgetBlob(blob);
          const location = { blobId: blob.id, capabilityToken: blob.token, expiresAt: blob.expiresAt };
          store.attachments.update(id, { blob: location, transferred: 0 }, clock());
        }
        await uploadToBlob(relay, blob, file, row.ciphertextSize, {
          segments: this.tuning.segments,
          signal,
          onSent: (offset) => this.progress(transfer, offset),
          onAcknowledged: (offset) => {
            backoff.reset();
            this.progress(transfer, offset);
            // Only for the view after a restart (the relay says where to resume): now and then,
            // since every commit waits for the disk.
            if (store.isOpen && clock() - persistedAt >= PERSIST_PROGRESS_MS) {
              persistedAt = clock();
              store.attachments.setTransferred(id, offset, persistedAt);
            }
          },
        });
        await transfer.staged;
        break;
      } catch (error) {
        if (signal.aborted || !store.isOpen) return;
        const code = error instanceof ParleyError ? error.code : 'INTERNAL';
        if (code === 'RELAY_BLOB_NOT_FOUND') {
          // Expired or deleted on the relay: upload the copy again, to a new blob.
          store.attachments.update(id, { blob: null, transferred: 0 }, clock());
          this.progress(transfer, 0);
        } else if (error instanceof LocalCopyError || PERMANENT_UPLOAD.has(code)) {
          this.failUpload(transfer, error);
          return;
        } else {
          logger.info({ event: 'files.upload_paused', code }, 'a file upload paused; it resumes by itself');
        }
        await this.pause(transfer, backoff.next());
      }
    }
    // The relay holds the whole file: mark it uploaded and queue the message, together.
    await messages.sendFileMessage(id, () => {
      store.attachments.update(
        id,
        { state: 'uploaded', transferred: transfer.ciphertextSize, error: null },
        clock(),
      );
    });
    transfer.state = 'uploaded';
    this.progress(transfer, transfer.ciphertextSize, true);
    this.untrack(transfer);
    messages.messageUpdated(id);
  }

  private failUpload(transfer: Transfer, error: unknown): void {
    const { store, messages, clock, logger } = this.deps;
    const info = toErrorInfo(error);
    logger.warn({ event: 'files.upload_failed', code: info.code }, 'a file could not be uploaded');
    store.attachments.update(transfer.messageId, { state: 'failed', error: info }, clock());
    messages.setDeliveryState(transfer.messageId, 'failed');
    transfer.state = 'failed';
    transfer.error = info;
    this.report(transfer, true);
    this.untrack(transfer);
    messages.messageUpdated(transfer.messageId);
  }

  // ---- receiving -----------------------------------------------------------------------------

  /** New messages with files arrived: refuse what the rules refuse, fetch what is small enough. */
  received(messageIds: readonly string[]): void {
    const { store, clock, messages } = this.deps;
    const limit = this.autoDownloadMaxBytes();
    for (const id of messageIds) {
      const row = store.attachments.get(id);
      if (row?.state !== 'available') continue;
      wipe(this.deps.sodium, row.fileKey);
      try {
        checkFileAllowed(this.deps.policy, { name: row.fileName, size: row.size, mimeType: row.mimeType });
      } catch (error) {
        store.attachments.update(id, { state: 'blocked', error: toErrorInfo(error) }, clock());
        messages.messageUpdated(id);
        continue;
      }
      if (limit > 0 && row.size <= limit) {
        try {
          this.download(id);
        } catch (error) {
          this.deps.logger.warn(
            { event: 'files.auto_download_failed', code: toErrorInfo(error).code },
            'could not start a download',
          );
        }
      }
    }
  }

  /** Starts downloading a received file; progress comes as transfer.progress events. */
  download(messageId: string): MessageView {
    const { store, messages } = this.deps;
    this.assertRunning();
    const row = this.attachment(messageId);
    wipe(this.deps.sodium, row.fileKey);
    const message = store.messages.get(messageId);
    if (!message || message.outgoing || this.transfers.has(messageId) || row.state === 'downloaded') {
      return messages.messageView(messageId);
    }
    this.checkReceivedAllowed(messageId, row);
    this.startDownload(messageId, message.conversationId, row, null);
    return messages.messageView(messageId);
  }

  /** A received file this device's rules refuse is marked blocked, and the refusal thrown. */
  private checkReceivedAllowed(messageId: string, row: StoredAttachment): void {
    try {
      checkFileAllowed(this.deps.policy, { name: row.fileName, size: row.size, mimeType: row.mimeType });
    } catch (error) {
      this.deps.store.attachments.update(
        messageId,
        { state: 'blocked', error: toErrorInfo(error) },
        this.deps.clock(),
      );
      this.deps.messages.messageUpdated(messageId);
      throw error;
    }
  }

  private startDownload(
    messageId: string,
    conversationId: string,
    row: StoredAttachment,
    tap: DecryptingTap | null,
  ): void {
    const { store, cache, clock, messages } = this.deps;
    const localFile = row.localFile ?? cache.newName();
    store.attachments.update(messageId, { state: 'downloading', localFile, error: null }, clock());
    const transfer = this.track(
      messageId,
      conversationId,
      'download',
      row.size,
      row.ciphertextSize,
      'downloading',
    );
    transfer.running = this.guarded(transfer, this.runDownload(transfer, tap));
    this.report(transfer, true);
    messages.messageUpdated(messageId);
  }

  /** Downloads in turn; a tap (a save reading along) ends with the download, or fails with it. */
  private async runDownload(transfer: Transfer, tap: DecryptingTap | null): Promise<void> {
    let error: ErrorInfo | null = stoppedDownload();
    try {
      if (!(await this.downloadTurn(transfer.controller.signal))) return;
      try {
        error = await this.downloadWithRetries(transfer, tap);
      } finally {
        this.downloading--;
        // Every waiter checks again; one of them takes the free slot.
        for (const wake of this.downloadTurns.splice(0)) wake();
      }
    } finally {
      if (error) tap?.fail(new ParleyError(error.code, error.message));
      else tap?.end();
    }
  }

  /** Null once the copy is downloaded and kept; otherwise why it is not. */
  private async downloadWithRetries(
    transfer: Transfer,
    tap: DecryptingTap | null,
  ): Promise<ErrorInfo | null> {
    const { store, relay, cache, clock, logger, messages } = this.deps;
    const { signal } = transfer.controller;
    const id = transfer.messageId;
    const backoff = this.backoff();
    for (;;) {
      if (signal.aborted || !store.isOpen) return stoppedDownload();
      const row = store.attachments.get(id);
      if (!row?.blob || !row.ciphertextHash || !row.localFile) return stoppedDownload();
      wipe(this.deps.sodium, row.fileKey);
      const partPath = cache.partPath(row.localFile);
      let outcome: { state: 'downloaded' | 'damaged' | 'unavailable' | 'available'; error: ErrorInfo | null };
      try {
        await downloadFromBlob(
          relay,
          {
            blobId: row.blob.blobId,
            capabilityToken: row.blob.capabilityToken,
            partPath,
            size: row.ciphertextSize,
            hash: row.ciphertextHash,
          },
          {
            signal,
            tap,
            onProgress: (bytes) => {
              if (bytes > transfer.done) backoff.reset();
              this.progress(transfer, bytes);
            },
          },
        );
        await rename(partPath, cache.path(row.localFile));
        outcome = { state: 'downloaded', error: null };
      } catch (error) {
        if (signal.aborted || !store.isOpen) return stoppedDownload();
        const code = error instanceof ParleyError ? error.code : 'INTERNAL';
        if (code === 'FILE_DAMAGED') {
          outcome = { state: 'damaged', error: toErrorInfo(error) };
        } else if (code === 'RELAY_BLOB_NOT_FOUND') {
          outcome = {
            state: 'unavailable',
            error: {
              code: 'FILE_UNAVAILABLE',
              message: 'This file is no longer on the relay: it expired, or its sender deleted it.',
            },
          };
        } else if (!(error instanceof ParleyError)) {
          outcome = {
            state: 'available',
            error: {
              code: 'UNAVAILABLE',
              message:
                "Couldn't store the file on this device. Check the free disk space and download it again.",
            },
          };
        } else {
          logger.info({ event: 'files.download_paused', code }, 'a download paused; it resumes by itself');
          store.attachments.setTransferred(id, transfer.done, clock());
          await this.pause(transfer, backoff.next());
          continue;
        }
      }
      if (outcome.state !== 'downloaded') {
        // Nothing of a file that is not what its sender sent is kept.
        await cache.remove(row.localFile);
        logger.warn(
          { event: 'files.download_failed', code: outcome.error?.code },
          'a received file was not kept',
        );
      }
      const done = outcome.state === 'downloaded';
      const blob = row.blob;
      store.transaction(() => {
        store.attachments.update(
          id,
          {
            state: outcome.state,
            error: outcome.error,
            transferred: done ? row.ciphertextSize : 0,
            localFile: done ? row.localFile : null,
          },
          clock(),
        );
        // The relay's copy is not the sender's: release it, so the relay deletes it once every
        // recipient has. A verified copy is released once it is on this device's disk.
        if (outcome.state === 'damaged') store.blobCleanup.add(blob.blobId, blob.capabilityToken, clock());
      });
      if (done) void this.releaseOnceDurable(cache.path(row.localFile), blob);
      else if (this.online) void this.cleaner.run();
      transfer.state = outcome.state;
      transfer.error = outcome.error;
      this.progress(transfer, done ? row.ciphertextSize : 0, true);
      this.untrack(transfer);
      messages.messageUpdated(id);
      return outcome.error ?? (done ? null : stoppedDownload());
    }
  }

  /**
   * Syncs a downloaded copy to disk, off the path of the download and of a save reading along,
   * and only then releases the blob (the relay deletes it once every recipient did). If the app
   * stops first, the blob stays on the relay until it expires.
   */
  private async releaseOnceDurable(
    path: string,
    blob: { blobId: string; capabilityToken: string },
  ): Promise<void> {
    const { store, clock, logger } = this.deps;
    try {
      const file = await open(path, 'r+');
      try {
        await file.sync();
      } finally {
        await file.close();
      }
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? 'INTERNAL';
      // A copy deleted meanwhile (its message was): this device is done with the blob all the same.
      if (code !== 'ENOENT') {
        logger.warn(
          { event: 'files.copy_sync_failed', code },
          'a downloaded copy could not be synced; its blob stays on the relay until it expires',
        );
        return;
      }
    }
    if (!store.isOpen) return;
    store.blobCleanup.add(blob.blobId, blob.capabilityToken, clock());
    if (this.online) void this.cleaner.run();
  }

  /** Waits for one of the download slots; false if cancelled meanwhile. */
  private async downloadTurn(signal: AbortSignal): Promise<boolean> {
    while (this.downloading >= this.tuning.maxDownloads) {
      await new Promise<void>((resolve) => {
        this.downloadTurns.push(resolve);
        signal.addEventListener('abort', () => resolve(), { once: true });
      });
      if (signal.aborted) return false;
    }
    if (signal.aborted) return false;
    this.downloading++;
    return true;
  }

  // ---- saving --------------------------------------------------------------------------------

  /**
   * Decrypts the file as a stream to where the person chooses (the shell's FileSaver). A received
   * file not downloaded yet is downloaded and decrypted in one pass where the saver writes the
   * file before it answers (a folder, Electron's dialog); one being downloaded is saved once its
   * download is done.
   */
  async save(messageId: string): Promise<FileSaveView> {
    const { saver, store, sodium, cache } = this.deps;
    if (!saver) throw new ParleyError('UNAVAILABLE', 'Files cannot be saved from this window.');
    const row = this.attachment(messageId);
    const message = store.messages.get(messageId);
    if (row.state === 'damaged') {
      wipe(sodium, row.fileKey);
      throw damaged();
    }
    const running = this.transfers.get(messageId);
    if (!message?.outgoing && row.state === 'downloading' && running) {
      wipe(sodium, row.fileKey);
      await running.running;
      return this.save(messageId);
    }
    if (message && !message.outgoing && row.state === 'available' && saver.writesBeforeAnswering) {
      return this.saveWhileDownloading(saver, message.conversationId, row);
    }
    const ready = message?.outgoing
      ? row.localFile !== null && row.ciphertextHash !== null && row.state !== 'staging'
      : row.state === 'downloaded';
    if (!ready || !row.localFile || !row.ciphertextHash) {
      wipe(sodium, row.fileKey);
      throw new ParleyError(
        'FILE_NOT_READY',
        message?.outgoing
          ? 'The file is still being prepared. Save it in a moment.'
          : 'Download the file first.',
      );
    }
    if (!message?.outgoing) {
      try {
        checkFileAllowed(this.deps.policy, { name: row.fileName, size: row.size, mimeType: row.mimeType });
      } catch (error) {
        wipe(sodium, row.fileKey);
        throw error;
      }
    }
    const input = { path: cache.path(row.localFile), key: asAttachmentKey(row.fileKey), size: row.size };
    let opened = false;
    const file: SavableFile = {
      fileName: sanitizeFileName(row.fileName),
      mimeType: row.mimeType,
      size: row.size,
      open: () => {
        opened = true;
        return openDecrypted(
          this.deps.crypto,
          input,
          () => void this.markDamaged(row.messageId).catch(() => {}),
        );
      },
    };
    let answer: FileSaveView | null = null;
    try {
      answer = await this.saved(saver, file);
      return answer;
    } finally {
      // A download link opens the file later: its copy of the key lives as long as the link.
      if (opened || answer?.outcome !== 'link') wipe(sodium, row.fileKey);
    }
  }

  /**
   * Downloads a received file and decrypts it as it arrives into the saver's file, which appears
   * only once the whole blob is checked against its hash; the encrypted copy is kept as after a
   * download.
   */
  private async saveWhileDownloading(
    saver: FileSaver,
    conversationId: string,
    row: StoredAttachment,
  ): Promise<FileSaveView> {
    const { sodium } = this.deps;
    try {
      this.assertRunning();
      this.checkReceivedAllowed(row.messageId, row);
      const file: SavableFile = {
        fileName: sanitizeFileName(row.fileName),
        mimeType: row.mimeType,
        size: row.size,
        open: () => {
          if (this.transfers.has(row.messageId)) {
            throw new ParleyError(
              'CONFLICT',
              'This file is being downloaded already. Save it once it is done.',
            );
          }
          const tap = new DecryptingTap(this.deps.crypto, asAttachmentKey(row.fileKey), row.size);
          this.startDownload(row.messageId, conversationId, row, tap);
          return tap.plaintext;
        },
      };
      return await this.saved(saver, file);
    } finally {
      wipe(sodium, row.fileKey); // the opening stream holds its own copy
    }
  }

  private async saved(saver: FileSaver, file: SavableFile): Promise<FileSaveView> {
    let outcome: SaveOutcome;
    try {
      outcome = await saver.save(file);
    } catch (error) {
      if (isDamage(error)) throw damaged();
      throw error;
    }
    if (outcome.kind === 'saved') return { outcome: 'saved', fileName: outcome.fileName, url: null };
    if (outcome.kind === 'link') return { outcome: 'link', fileName: null, url: outcome.url };
    return { outcome: 'cancelled', fileName: null, url: null };
  }

  /** The encrypted copy failed to decrypt: nothing of it is kept. */
  private async markDamaged(messageId: string): Promise<void> {
    const { store, cache, clock, messages } = this.deps;
    if (!store.isOpen) return;
    const row = store.attachments.get(messageId);
    if (!row) return;
    wipe(this.deps.sodium, row.fileKey);
    if (row.localFile) await cache.remove(row.localFile);
    store.attachments.update(
      messageId,
      { state: 'damaged', localFile: null, transferred: 0, error: damaged().toInfo() },
      clock(),
    );
    messages.messageUpdated(messageId);
  }

  // ---- deleting (crypto-shredding) -----------------------------------------------------------

  /**
   * Deletes a message from this device. With a file: its key goes with the message row
   * (secure_delete, WAL folded in), its encrypted copy is removed, and the relay is asked to
   * delete the blob (ours) or told this device is done with it (received, never fetched).
   */
  async deleteMessage(messageId: string): Promise<void> {
    const { store, cache, messages } = this.deps;
    const message = store.messages.get(messageId);
    if (!message) throw new ParleyError('NOT_FOUND', 'That message does not exist any more.');
    await this.abortTransfer(messageId);
    const row = store.attachments.get(messageId);
    store.transaction(() => {
      if (row) this.listBlobCleanup(row, message.outgoing);
      store.outbox.removeForMessage(messageId);
      store.messages.delete(messageId);
    });
    store.attachments.scrub();
    if (row) {
      wipe(this.deps.sodium, row.fileKey);
      if (row.localFile) await cache.remove(row.localFile);
    }
    messages.messageRemoved(messageId, message.conversationId);
    if (row?.blob && this.online) void this.cleaner.run();
  }

  /** Deletes a conversation with all its messages and their files (as deleteMessage does). */
  async deleteConversation(conversationId: string): Promise<void> {
    const { store, cache, messages } = this.deps;
    if (!store.conversations.get(conversationId)) {
      throw new ParleyError('NOT_FOUND', 'That conversation is not on this device.');
    }
    const rows = store.attachments.forConversation(conversationId);
    for (const row of rows) await this.abortTransfer(row.messageId);
    store.transaction(() => {
      for (const row of rows) this.listBlobCleanup(row, store.messages.get(row.messageId)?.outgoing ?? false);
      // Nothing of a deleted conversation goes out any more, texts included.
      store.outbox.removeForConversation(conversationId);
      store.deleteConversation(conversationId);
    });
    store.attachments.scrub();
    for (const row of rows) {
      wipe(this.deps.sodium, row.fileKey);
      if (row.localFile) await cache.remove(row.localFile);
    }
    messages.conversationRemoved(conversationId);
    if (this.online && rows.some((r) => r.blob)) void this.cleaner.run();
  }

  private listBlobCleanup(row: StoredAttachment, outgoing: boolean): void {
    if (!row.blob) return;
    const at = this.deps.clock();
    if (outgoing) this.deps.store.blobCleanup.add(row.blob.blobId, null, at);
    else if (UNFETCHED.has(row.state))
      this.deps.store.blobCleanup.add(row.blob.blobId, row.blob.capabilityToken, at);
  }

  // ---- life cycle ----------------------------------------------------------------------------

  /**
   * After unlocking: removes encrypted copies no message refers to, drops files that were never
   * handed over completely (the app that was handing them over is gone), and resumes uploads and
   * downloads where they stopped.
   */
  resume(): void {
    const { store, cache, logger } = this.deps;
    const removed = cache.removeAllBut(store.attachments.localFiles());
    if (removed > 0)
      logger.info({ event: 'files.orphans_removed', count: removed }, 'removed unused file copies');
    for (const row of store.attachments.unfinished()) {
      wipe(this.deps.sodium, row.fileKey);
      const message = store.messages.get(row.messageId);
      if (!message) continue;
      if (row.state === 'staging') {
        void this.deleteMessage(row.messageId).catch(() => {});
      } else if (row.state === 'uploading' && row.localFile) {
        const transfer = this.track(
          row.messageId,
          message.conversationId,
          'upload',
          row.size,
          row.ciphertextSize,
          'uploading',
        );
        transfer.done = row.transferred;
        transfer.markStaged();
        transfer.running = this.guarded(
          transfer,
          this.runUpload(transfer, completeFile(cache.path(row.localFile), row.ciphertextSize)),
        );
      } else if (row.state === 'downloading') {
        this.startDownload(row.messageId, message.conversationId, row, null);
      }
    }
  }

  /** The relay connection came or went: paused transfers and pending deletions go on at once. */
  setOnline(online: boolean): void {
    this.online = online;
    if (!online) return;
    for (const transfer of this.transfers.values()) transfer.wake?.();
    void this.cleaner.run();
  }

  /** Stops every transfer (on lock or quit); each resumes from where it stopped on the next unlock. */
  async stop(): Promise<void> {
    this.stopped = true;
    await Promise.all([...this.transfers.keys()].map((id) => this.abortTransfer(id)));
  }

  // ---- internals -----------------------------------------------------------------------------

  private assertRunning(): void {
    if (this.stopped)
      throw new ParleyError('STORE_LOCKED', 'Parley is locked. Unlock it with your passphrase.');
  }

  private attachment(messageId: string): StoredAttachment {
    const row = this.deps.store.attachments.get(messageId);
    if (!row) throw new ParleyError('NOT_FOUND', 'That message has no file.');
    return row;
  }

  private staging(transferId: string): Transfer {
    const transfer = this.transfers.get(transferId);
    if (!transfer?.staging) {
      throw new ParleyError('NOT_FOUND', 'That file is not being handed over any more. Send it again.');
    }
    return transfer;
  }

  private track(
    messageId: string,
    conversationId: string,
    direction: 'upload' | 'download',
    size: number,
    ciphertextSize: number,
    state: FileTransferState,
  ): Transfer {
    let markStaged = () => {};
    const staged = new Promise<void>((resolve) => {
      markStaged = resolve;
    });
    const transfer: Transfer = {
      messageId,
      conversationId,
      direction,
      size,
      ciphertextSize,
      controller: new AbortController(),
      meter: new ProgressMeter(this.deps.clock),
      state,
      paused: false,
      done: 0,
      error: null,
      lastReport: 0,
      wake: null,
      staging: null,
      staged,
      markStaged,
      idle: null,
      touchedAt: 0,
      trailing: null,
      running: Promise.resolve(),
    };
    this.transfers.set(messageId, transfer);
    return transfer;
  }

  private untrack(transfer: Transfer): void {
    this.clearIdle(transfer);
    if (transfer.trailing) clearTimeout(transfer.trailing);
    transfer.trailing = null;
    if (this.transfers.get(transfer.messageId) === transfer) this.transfers.delete(transfer.messageId);
  }

  /**
   * A transfer's run, with anything unexpected (the store closed under it, its message deleted
   * meanwhile) logged by code and the transfer let go, never an unhandled rejection.
   */
  private guarded(transfer: Transfer, run: Promise<void>): Promise<void> {
    return run.catch((error: unknown) => {
      this.deps.logger.warn(
        { event: 'files.transfer_stopped', code: error instanceof ParleyError ? error.code : 'INTERNAL' },
        'a file transfer stopped',
      );
      this.untrack(transfer);
    });
  }

  /** Stops a transfer and waits until it has let go of its files. */
  private async abortTransfer(messageId: string): Promise<void> {
    const transfer = this.transfers.get(messageId);
    if (!transfer) return;
    const reason = new ParleyError('FILE_CANCELLED', 'The file transfer was cancelled.');
    transfer.controller.abort(reason);
    transfer.wake?.();
    if (transfer.staging) await transfer.staging.abort(reason);
    await transfer.running.catch(() => {});
    this.untrack(transfer);
  }

  /** Cancels a file the app stopped handing over (a closed window, a crashed page). */
  private touchIdle(transfer: Transfer): void {
    transfer.touchedAt = this.deps.clock();
    if (transfer.idle) return; // one timer per transfer, not one per piece
    const check = () => {
      const idleFor = this.deps.clock() - transfer.touchedAt;
      if (idleFor < this.tuning.stagingIdleMs) {
        transfer.idle = setTimeout(check, this.tuning.stagingIdleMs - idleFor);
        transfer.idle.unref?.();
        return;
      }
      transfer.idle = null;
      this.deps.logger.info({ event: 'files.staging_abandoned' }, 'a file was not handed over in time');
      void this.deleteMessage(transfer.messageId).catch(() => {});
    };
    transfer.idle = setTimeout(check, this.tuning.stagingIdleMs);
    transfer.idle.unref?.();
  }

  private clearIdle(transfer: Transfer): void {
    if (transfer.idle) clearTimeout(transfer.idle);
    transfer.idle = null;
  }

  private backoff(): Backoff {
    return new Backoff({ minDelayMs: this.tuning.retryMinMs, maxDelayMs: this.tuning.retryMaxMs });
  }

  /** Waits before trying again; going online or cancelling ends the wait early. */
  private async pause(transfer: Transfer, delayMs: number): Promise<void> {
    transfer.paused = true;
    transfer.meter.reset();
    this.report(transfer, true);
    await new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        transfer.controller.signal.removeEventListener('abort', done);
        transfer.wake = null;
        resolve();
      };
      const timer = setTimeout(done, delayMs);
      transfer.wake = done;
      transfer.controller.signal.addEventListener('abort', done);
    });
    transfer.paused = false;
  }

  private progress(transfer: Transfer, done: number, force = false): void {
    transfer.done = done;
    transfer.meter.record(done);
    this.report(transfer, force);
  }

  private report(transfer: Transfer, force: boolean): void {
    const now = this.deps.clock();
    const wait = this.tuning.progressIntervalMs - (now - transfer.lastReport);
    if (!force && wait > 0) {
      // Too soon: report once the interval is over, so a transfer that stalls still shows
      // how far it got.
      if (!transfer.trailing && this.transfers.get(transfer.messageId) === transfer) {
        transfer.trailing = setTimeout(() => {
          transfer.trailing = null;
          if (this.transfers.get(transfer.messageId) === transfer) this.report(transfer, true);
        }, wait);
        transfer.trailing.unref?.();
      }
      return;
    }
    if (transfer.trailing) clearTimeout(transfer.trailing);
    transfer.trailing = null;
    transfer.lastReport = now;
    const state: FileTransferState = transfer.paused ? 'paused' : transfer.state;
    const view: TransferProgressView = {
      transferId: transfer.messageId,
      messageId: transfer.messageId,
      conversationId: transfer.conversationId,
      direction: transfer.direction,
      state,
      bytesDone: plaintextDone(
        { size: transfer.size, ciphertextSize: transfer.ciphertextSize, state: transfer.state },
        transfer.done,
      ),
      bytesTotal: transfer.size,
      bytesPerSecond: transfer.paused
        ? 0
        : Math.round((transfer.meter.bytesPerSecond() * transfer.size) / transfer.ciphertextSize),
      error: transfer.error,
    };
    this.deps.events.emit('transfer.progress', view);
  }
}

/** The sender's preview, base64 from the app: kept only if it is a JPEG, PNG or WebP image. */
function decodeThumbnail(base64: string | null): Uint8Array | null {
  if (base64 === null) return null;
  const bytes = new Uint8Array(decodeStrictBase64(base64));
  if (bytes.length > MAX_FILE_THUMBNAIL_BYTES || !thumbnailType(bytes)) {
    throw new ParleyError(
      'INVALID_ARGUMENT',
      'The preview must be a JPEG, PNG or WebP image of at most 32 KiB. Send the file without one.',
    );
  }
  return bytes;
}

function stoppedDownload(): ErrorInfo {
  return { code: 'FILE_CANCELLED', message: 'The download stopped before the file was complete.' };
}
