/**
 * Everything the renderer knows, and the pure transitions the store applies to it. The core
 * owns the truth; this is what the screens show of it. Nothing here is secret: views only.
 */
import type { ErrorInfo } from '../../../shared/errors';
import type {
  AppInfo,
  AppStateView,
  ContactView,
  ConversationView,
  FileRulesView,
  MessagePage,
  MessageView,
  SettingsView,
  TransferProgressView,
} from '../../../shared/ipc';
import { isRunning } from '../files/live-transfer';
import { sortConversations, upsertConversation } from './conversation-order';
import { mergeMessages, upsertMessage } from './message-timeline';

export type LoadStatus = 'idle' | 'loading' | 'ready' | 'failed';

export interface Timeline {
  readonly status: LoadStatus;
  readonly error: ErrorInfo | null;
  /** Oldest first. */
  readonly messages: readonly MessageView[];
  readonly olderCursor: string | null;
  readonly loadingOlder: boolean;
  readonly olderError: ErrorInfo | null;
  /** Fixed when the conversation opens, so the marker stays put while the person reads. */
  readonly firstUnreadId: string | null;
}

export type BootState =
  | { readonly status: 'loading' }
  | { readonly status: 'ready' }
  | { readonly status: 'failed'; readonly error: ErrorInfo };

export type RightPanel = 'none' | 'contact';
export type DialogName = 'none' | 'newChat' | 'settings';

/** A file that was refused or could not be sent, shown above the composer until dismissed. */
export interface FileProblem {
  readonly id: string;
  readonly fileName: string;
  readonly error: ErrorInfo;
}

/** What the delete confirmation asks about. */
export type DeleteTarget =
  | { readonly kind: 'message'; readonly messageId: string; readonly hasFile: boolean }
  | { readonly kind: 'conversation'; readonly conversationId: string; readonly title: string };

/** Problems kept per conversation: the latest few, so a folder of refused files stays readable. */
const MAX_FILE_PROBLEMS = 5;

export interface ParleyState {
  readonly boot: BootState;
  readonly info: AppInfo | null;
  readonly app: AppStateView | null;
  readonly conversations: {
    readonly status: LoadStatus;
    readonly error: ErrorInfo | null;
    readonly items: readonly ConversationView[];
  };
  readonly activeConversationId: string | null;
  readonly timelines: Readonly<Record<string, Timeline>>;
  readonly contacts: Readonly<Record<string, ContactView>>;
  /** Unsent text per conversation, kept while switching chats; dropped on lock like the rest. */
  readonly drafts: Readonly<Record<string, string>>;
  readonly settings: SettingsView | null;
  readonly rightPanel: RightPanel;
  readonly dialog: DialogName;
  /** This device's file rules, once asked for. */
  readonly fileRules: FileRulesView | null;
  /** Live figures of running transfers, by message id (transfer.progress). */
  readonly transfers: Readonly<Record<string, TransferProgressView>>;
  readonly fileProblems: Readonly<Record<string, readonly FileProblem[]>>;
  readonly deleting: DeleteTarget | null;
}

export const initialState: ParleyState = {
  boot: { status: 'loading' },
  info: null,
  app: null,
  conversations: { status: 'idle', error: null, items: [] },
  activeConversationId: null,
  timelines: {},
  contacts: {},
  drafts: {},
  settings: null,
  rightPanel: 'none',
  dialog: 'none',
  fileRules: null,
  transfers: {},
  fileProblems: {},
  deleting: null,
};

const emptyTimeline: Timeline = {
  status: 'idle',
  error: null,
  messages: [],
  olderCursor: null,
  loadingOlder: false,
  olderError: null,
  firstUnreadId: null,
};

/**
 * A new app state from the core. Leaving "ready" (locked, or back to onboarding) drops every
 * conversation and message from memory: a locked screen should hold no plaintext.
 */
export function withAppState(state: ParleyState, app: AppStateView): ParleyState {
  const sameAccount = state.app?.account?.userId === app.account?.userId;
  if (app.phase === 'ready')
    return { ...state, app, activeConversationId: sameAccount ? state.activeConversationId : null };
  return {
    ...state,
    app,
    conversations: initialState.conversations,
    timelines: {},
    contacts: {},
    drafts: {},
    rightPanel: 'none',
    dialog: 'none',
    transfers: {},
    fileProblems: {},
    deleting: null,
    activeConversationId: sameAccount ? state.activeConversationId : null,
  };
}

export function withConversationsLoading(state: ParleyState): ParleyState {
  return { ...state, conversations: { ...state.conversations, status: 'loading', error: null } };
}

export function withConversationsLoaded(state: ParleyState, list: readonly ConversationView[]): ParleyState {
  const items = sortConversations(list);
  const active = state.activeConversationId;
  return {
    ...state,
    conversations: { status: 'ready', error: null, items },
    activeConversationId: active !== null && items.some((c) => c.id === active) ? active : null,
  };
}

export function withConversationsFailed(state: ParleyState, error: ErrorInfo): ParleyState {
  return { ...state, conversations: { ...state.conversations, status: 'failed', error } };
}

export function withConversation(state: ParleyState, conversation: ConversationView): ParleyState {
  return {
    ...state,
    conversations: {
      ...state.conversations,
      items: upsertConversation(state.conversations.items, conversation),
    },
  };
}

/** Opens a conversation; a cached timeline gets its unread marker recomputed from the unread count. */
export function withActiveConversation(state: ParleyState, id: string | null): ParleyState {
  if (id === null) return { ...state, activeConversationId: null, rightPanel: 'none' };
  const timeline = state.timelines[id];
  const conversation = state.conversations.items.find((c) => c.id === id);
  const next: ParleyState = {
    ...state,
    activeConversationId: id,
    rightPanel: id === state.activeConversationId ? state.rightPanel : 'none',
  };
  if (timeline?.status !== 'ready') return next;
  const firstUnreadId = firstUnreadFrom(timeline.messages, conversation?.unreadCount ?? 0);
  return { ...next, timelines: { ...state.timelines, [id]: { ...timeline, firstUnreadId } } };
}

/** The oldest of the last `unreadCount` incoming messages, or null when all is read. */
export function firstUnreadFrom(messages: readonly MessageView[], unreadCount: number): string | null {
  if (unreadCount <= 0) return null;
  let remaining = unreadCount;
  for (let i = messages.length - 1; i >= 0; i--) {
    const message = messages[i]!;
    if (message.outgoing || message.kind !== 'text') continue;
    remaining--;
    if (remaining === 0) return message.id;
  }
  return messages.find((m) => !m.outgoing && m.kind === 'text')?.id ?? null;
}

export function withTimelineLoading(state: ParleyState, id: string, older: boolean): ParleyState {
  const timeline = state.timelines[id] ?? emptyTimeline;
  const next: Timeline = older
    ? { ...timeline, loadingOlder: true, olderError: null }
    : { ...timeline, status: 'loading', error: null };
  return { ...state, timelines: { ...state.timelines, [id]: next } };
}

export function withTimelinePage(
  state: ParleyState,
  id: string,
  page: MessagePage,
  older: boolean,
): ParleyState {
  const timeline = state.timelines[id] ?? emptyTimeline;
  const messages = mergeMessages(older ? timeline.messages : [], page.messages);
  const next: Timeline = older
    ? { ...timeline, messages, olderCursor: page.olderCursor, loadingOlder: false }
    : {
        ...timeline,
        // Messages that arrived by event while the page was in flight stay.
        messages: mergeMessages(messages, timeline.messages),
        status: 'ready',
        error: null,
        olderCursor: page.olderCursor,
        firstUnreadId: page.firstUnreadId,
      };
  return { ...state, timelines: { ...state.timelines, [id]: next } };
}

export function withTimelineFailed(
  state: ParleyState,
  id: string,
  error: ErrorInfo,
  older: boolean,
): ParleyState {
  const timeline = state.timelines[id] ?? emptyTimeline;
  const next: Timeline = older
    ? { ...timeline, loadingOlder: false, olderError: error }
    : { ...timeline, status: 'failed', error };
  return { ...state, timelines: { ...state.timelines, [id]: next } };
}

/**
 * A message added or updated; ignored unless its conversation's history is in memory. A file
 * whose transfer has ended (in any way) drops its live figures: the message says it all now.
 */
export function withMessage(state: ParleyState, message: MessageView): ParleyState {
  const ended = message.attachment && !isRunning(message.attachment.state) && message.id in state.transfers;
  const base = ended ? { ...state, transfers: without(state.transfers, message.id) } : state;
  const timeline = base.timelines[message.conversationId];
  if (!timeline || (timeline.status !== 'ready' && timeline.status !== 'loading')) return base;
  const messages = upsertMessage(timeline.messages, message);
  if (messages === timeline.messages) return base;
  return { ...base, timelines: { ...base.timelines, [message.conversationId]: { ...timeline, messages } } };
}

/** Live figures of a transfer; an ended one is forgotten (its message.updated carries the outcome). */
export function withTransferProgress(state: ParleyState, progress: TransferProgressView): ParleyState {
  if (!isRunning(progress.state)) {
    return progress.messageId in state.transfers
      ? { ...state, transfers: without(state.transfers, progress.messageId) }
      : state;
  }
  return { ...state, transfers: { ...state.transfers, [progress.messageId]: progress } };
}

/** A message deleted (here or by the core): gone from its timeline, its transfer and any question. */
export function withMessageRemoved(state: ParleyState, id: string, conversationId: string): ParleyState {
  const timeline = state.timelines[conversationId];
  const messages = timeline?.messages.filter((m) => m.id !== id);
  const deleting =
    state.deleting?.kind === 'message' && state.deleting.messageId === id ? null : state.deleting;
  return {
    ...state,
    transfers: id in state.transfers ? without(state.transfers, id) : state.transfers,
    deleting,
    timelines:
      timeline && messages && messages.length !== timeline.messages.length
        ? {
            ...state.timelines,
            [conversationId]: {
              ...timeline,
              messages,
              firstUnreadId: timeline.firstUnreadId === id ? null : timeline.firstUnreadId,
            },
          }
        : state.timelines,
  };
}

/** A conversation deleted: its row, history, draft and problems go; an open chat closes. */
export function withConversationRemoved(state: ParleyState, id: string): ParleyState {
  const active = state.activeConversationId === id;
  const transfers = Object.fromEntries(
    Object.entries(state.transfers).filter(([, progress]) => progress.conversationId !== id),
  );
  return {
    ...state,
    conversations: { ...state.conversations, items: state.conversations.items.filter((c) => c.id !== id) },
    timelines: without(state.timelines, id),
    drafts: without(state.drafts, id),
    fileProblems: without(state.fileProblems, id),
    transfers,
    activeConversationId: active ? null : state.activeConversationId,
    rightPanel: active ? 'none' : state.rightPanel,
    deleting:
      state.deleting?.kind === 'conversation' && state.deleting.conversationId === id ? null : state.deleting,
  };
}

export function withFileProblem(
  state: ParleyState,
  conversationId: string,
  problem: FileProblem,
): ParleyState {
  const list = [...(state.fileProblems[conversationId] ?? []), problem].slice(-MAX_FILE_PROBLEMS);
  return { ...state, fileProblems: { ...state.fileProblems, [conversationId]: list } };
}

export function withoutFileProblem(
  state: ParleyState,
  conversationId: string,
  problemId: string,
): ParleyState {
  const list = (state.fileProblems[conversationId] ?? []).filter((p) => p.id !== problemId);
  return {
    ...state,
    fileProblems:
      list.length === 0
        ? without(state.fileProblems, conversationId)
        : { ...state.fileProblems, [conversationId]: list },
  };
}

function without<T>(record: Readonly<Record<string, T>>, key: string): Readonly<Record<string, T>> {
  if (!(key in record)) return record;
  const { [key]: _, ...rest } = record;
  return rest;
}

/** A contact changed; the conversations with them show the same verified and key-change marks. */
export function withContact(state: ParleyState, contact: ContactView): ParleyState {
  const items = state.conversations.items.map((c) =>
    c.peerUserId === contact.userId &&
    (c.verified !== contact.verified || c.keyChanged !== contact.keyChanged)
      ? { ...c, verified: contact.verified, keyChanged: contact.keyChanged }
      : c,
  );
  return {
    ...state,
    contacts: { ...state.contacts, [contact.userId]: contact },
    conversations: { ...state.conversations, items },
  };
}

/** Read locally at once; the core's conversation.updated confirms it. */
export function withConversationRead(state: ParleyState, id: string): ParleyState {
  const items = state.conversations.items.map((c) =>
    c.id === id && c.unreadCount > 0 ? { ...c, unreadCount: 0 } : c,
  );
  return { ...state, conversations: { ...state.conversations, items } };
}

export function withDraft(state: ParleyState, conversationId: string, text: string): ParleyState {
  const { [conversationId]: _, ...others } = state.drafts;
  return { ...state, drafts: text === '' ? others : { ...others, [conversationId]: text } };
}
