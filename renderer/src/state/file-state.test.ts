import { describe, expect, it } from 'vitest';
import type { AppStateView, AttachmentView, MessageView, TransferProgressView } from '../../../shared/ipc';
import {
  initialState,
  type ParleyState,
  withActiveConversation,
  withAppState,
  withConversationRemoved,
  withConversationsLoaded,
  withDraft,
  withFileProblem,
  withMessage,
  withMessageRemoved,
  withoutFileProblem,
  withTimelineLoading,
  withTimelinePage,
  withTransferProgress,
} from './parley-state';

const account = {
  userId: 'alice',
  deviceId: 1,
  username: 'alice',
  displayName: 'Alice',
  relayUrl: 'http://127.0.0.1:1',
  deviceFingerprint: '0000',
  createdAt: 0,
};
const app = (phase: AppStateView['phase']): AppStateView => ({
  phase,
  account,
  connection: 'online',
  queued: 0,
});

const file = (state: AttachmentView['state']): AttachmentView => ({
  fileName: 'report.pdf',
  mimeType: 'application/pdf',
  size: 1000,
  thumbnail: null,
  state,
  bytesDone: 0,
  error: null,
});

function message(id: string, sentAt: number, attachment: AttachmentView | null = null): MessageView {
  return {
    id,
    conversationId: 'c1',
    senderUserId: 'bob',
    outgoing: false,
    kind: 'text',
    text: '',
    sentAt,
    receivedAt: sentAt,
    state: null,
    attachment,
  };
}

const progress = (messageId: string, state: TransferProgressView['state']): TransferProgressView => ({
  transferId: messageId,
  messageId,
  conversationId: 'c1',
  direction: 'download',
  state,
  bytesDone: 400,
  bytesTotal: 1000,
  bytesPerSecond: 100,
  error: null,
});

function chatWithFile(): ParleyState {
  let s = withAppState(initialState, app('ready'));
  s = withConversationsLoaded(s, [
    {
      id: 'c1',
      peerUserId: 'bob',
      title: 'Bob',
      lastMessagePreview: null,
      lastMessageAt: null,
      unreadCount: 0,
      verified: false,
      keyChanged: false,
    },
  ]);
  s = withActiveConversation(s, 'c1');
  s = withTimelineLoading(s, 'c1', false);
  return withTimelinePage(
    s,
    'c1',
    {
      messages: [message('m1', 10), message('m2', 20, file('available'))],
      olderCursor: null,
      firstUnreadId: 'm2',
    },
    false,
  );
}

describe('transfers', () => {
  it('keeps the live figures of a running transfer and forgets an ended one', () => {
    let s = withTransferProgress(chatWithFile(), progress('m2', 'downloading'));
    expect(s.transfers.m2?.bytesDone).toBe(400);
    s = withTransferProgress(s, progress('m2', 'paused'));
    expect(s.transfers.m2?.state).toBe('paused');
    s = withTransferProgress(s, progress('m2', 'downloaded'));
    expect(s.transfers).toEqual({});
  });

  it('drops the live figures once the message says the transfer ended (a cancel sends no last event)', () => {
    let s = withTransferProgress(chatWithFile(), progress('m2', 'downloading'));
    s = withMessage(s, message('m2', 20, file('downloading')));
    expect(s.transfers.m2).toBeDefined();
    s = withMessage(s, message('m2', 20, file('available')));
    expect(s.transfers.m2).toBeUndefined();
    expect(s.timelines.c1?.messages[1]?.attachment?.state).toBe('available');
  });
});

describe('removals', () => {
  it('removes a deleted message, its transfer, its unread marker and the question about it', () => {
    let s = withTransferProgress(chatWithFile(), progress('m2', 'downloading'));
    s = { ...s, deleting: { kind: 'message', messageId: 'm2', hasFile: true } };
    s = withMessageRemoved(s, 'm2', 'c1');
    expect(s.timelines.c1?.messages.map((m) => m.id)).toEqual(['m1']);
    expect(s.timelines.c1?.firstUnreadId).toBeNull();
    expect(s.transfers).toEqual({});
    expect(s.deleting).toBeNull();
  });

  it('leaves the state alone for a message it never loaded', () => {
    const s = chatWithFile();
    expect(withMessageRemoved(s, 'other', 'c1').timelines).toBe(s.timelines);
  });

  it('closes a deleted open conversation and forgets everything of it', () => {
    let s = withDraft(chatWithFile(), 'c1', 'half a thought');
    s = withTransferProgress(s, progress('m2', 'downloading'));
    s = withFileProblem(s, 'c1', {
      id: 'p1',
      fileName: 'a.exe',
      error: { code: 'FILE_TYPE_BLOCKED', message: 'No.' },
    });
    s = { ...s, rightPanel: 'contact' };
    s = withConversationRemoved(s, 'c1');
    expect(s.conversations.items).toEqual([]);
    expect(s.activeConversationId).toBeNull();
    expect(s.rightPanel).toBe('none');
    expect(s.timelines).toEqual({});
    expect(s.drafts).toEqual({});
    expect(s.fileProblems).toEqual({});
    expect(s.transfers).toEqual({});
  });
});

describe('file problems', () => {
  it('keeps the latest five per conversation and dismisses one at a time', () => {
    let s = chatWithFile();
    for (let i = 1; i <= 7; i++) {
      s = withFileProblem(s, 'c1', {
        id: `p${i}`,
        fileName: `f${i}.exe`,
        error: { code: 'FILE_TYPE_BLOCKED', message: 'Blocked.' },
      });
    }
    expect(s.fileProblems.c1?.map((p) => p.id)).toEqual(['p3', 'p4', 'p5', 'p6', 'p7']);
    s = withoutFileProblem(s, 'c1', 'p5');
    expect(s.fileProblems.c1?.map((p) => p.id)).toEqual(['p3', 'p4', 'p6', 'p7']);
  });

  it('are dropped with everything else when the app locks', () => {
    let s = withFileProblem(chatWithFile(), 'c1', {
      id: 'p1',
      fileName: 'secret-plans.exe',
      error: { code: 'FILE_TYPE_BLOCKED', message: 'Blocked.' },
    });
    s = withTransferProgress(s, progress('m2', 'downloading'));
    s = withAppState(s, app('locked'));
    expect(s.fileProblems).toEqual({});
    expect(s.transfers).toEqual({});
  });
});
