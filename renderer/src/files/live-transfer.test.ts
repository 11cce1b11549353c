import { describe, expect, it } from 'vitest';
import type { AttachmentView, TransferProgressView } from '../../../shared/ipc';
import { liveTransfer } from './live-transfer';

const attachment = (extra: Partial<AttachmentView> = {}): AttachmentView => ({
  fileName: 'report.pdf',
  mimeType: 'application/pdf',
  size: 10_000,
  thumbnail: null,
  state: 'uploading',
  bytesDone: 1000,
  error: null,
  ...extra,
});

const progress = (extra: Partial<TransferProgressView> = {}): TransferProgressView => ({
  transferId: 'm1',
  messageId: 'm1',
  conversationId: 'c1',
  direction: 'upload',
  state: 'uploading',
  bytesDone: 4000,
  bytesTotal: 10_000,
  bytesPerSecond: 2000,
  error: null,
  ...extra,
});

describe('liveTransfer', () => {
  it('shows the stored figures until an event arrives', () => {
    expect(liveTransfer(attachment(), undefined)).toEqual({
      state: 'uploading',
      bytesDone: 1000,
      bytesTotal: 10_000,
      bytesPerSecond: 0,
      error: null,
    });
  });

  it('prefers the live figures while the transfer runs, paused included', () => {
    expect(liveTransfer(attachment(), progress()).bytesDone).toBe(4000);
    const paused = liveTransfer(attachment(), progress({ state: 'paused', bytesPerSecond: 0 }));
    expect(paused.state).toBe('paused');
  });

  it('lets a final stored state win over a stale event (a failed or finished upload)', () => {
    const error = { code: 'RELAY_BLOB_TOO_LARGE' as const, message: 'Too large for the relay.' };
    const failed = liveTransfer(attachment({ state: 'failed', error }), progress());
    expect(failed).toMatchObject({ state: 'failed', error });
    const done = liveTransfer(attachment({ state: 'uploaded', bytesDone: 10_000 }), progress());
    expect(done).toMatchObject({ state: 'uploaded', bytesDone: 10_000 });
  });

  it('shows a download as started as soon as its first event arrives', () => {
    const started = liveTransfer(
      attachment({ state: 'available', bytesDone: 0 }),
      progress({ direction: 'download', state: 'downloading', bytesDone: 0 }),
    );
    expect(started.state).toBe('downloading');
  });
});
