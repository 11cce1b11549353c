/**
 * The renderer's store: state from parley-state, fed by the core's events, and the actions the
 * screens call. It is built per bridge (no module singleton), so a test or a second window
 * gets its own.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import type {
  AccountView,
  ApiArgs,
  AppStateView,
  ContactView,
  ConversationView,
  DirectoryEntry,
  FileRulesView,
  FileSaveView,
  MessageView,
  ParleyBridge,
  SafetyNumberView,
  SettingsView,
} from '../../../shared/ipc';
import type { Result } from '../../../shared/result';
import { type MakeThumbnail, makeThumbnail } from '../files/make-thumbnail';
import { beginSendingFile, describeFile, stopHandOver } from '../files/send-file';
import { type ShowNotification, showDesktopNotification } from '../notifications/desktop-notifications';
import { messageNotification } from '../notifications/message-notification';
import {
  type DeleteTarget,
  type DialogName,
  type FileProblem,
  initialState,
  type ParleyState,
  type RightPanel,
  withActiveConversation,
  withAppState,
  withContact,
  withConversation,
  withConversationRead,
  withConversationRemoved,
  withConversationsFailed,
  withConversationsLoaded,
  withConversationsLoading,
  withDraft,
  withFileProblem,
  withMessage,
  withMessageRemoved,
  withoutFileProblem,
  withTimelineFailed,
  withTimelineLoading,
  withTimelinePage,
  withTransferProgress,
} from './parley-state';
import { type Invoke, safeInvoke } from './safe-invoke';

const PHASE_CODES: ReadonlySet<string> = new Set(['STORE_LOCKED', 'ACCOUNT_MISSING']);

/** How many messages a page holds: a screenful and a half, so scrolling up rarely waits. */
export const PAGE_SIZE = 60;

export interface ParleyActions {
  /** Listens to the core and asks for the first state; returns the function that stops listening. */
  start(): () => void;
  retryStart(): Promise<void>;
  createAccount(args: ApiArgs<'account.create'>): Promise<Result<AccountView>>;
  unlock(passphrase: string): Promise<Result<AccountView>>;
  lock(): Promise<Result<null>>;
  loadConversations(): Promise<void>;
  openConversation(id: string | null): void;
  startChat(userId: string): Promise<Result<ConversationView>>;
  loadTimeline(conversationId: string): Promise<void>;
  loadOlder(conversationId: string): Promise<void>;
  send(conversationId: string, text: string): Promise<Result<MessageView>>;
  retryMessage(messageId: string): Promise<Result<MessageView>>;
  markRead(conversationId: string): Promise<void>;
  loadContact(userId: string): Promise<Result<ContactView>>;
  setVerified(userId: string, verified: boolean): Promise<Result<ContactView>>;
  /** Mutes (for `forMs`, or until unmuted) or unmutes a conversation's notifications. */
  setMuted(conversationId: string, muted: boolean, forMs?: number): Promise<Result<ConversationView>>;
  acceptKeyChange(userId: string): Promise<Result<ContactView>>;
  safetyNumber(userId: string): Promise<Result<SafetyNumberView>>;
  searchDirectory(query: string): Promise<Result<DirectoryEntry[]>>;
  searchMessages(query: string): Promise<Result<MessageView[]>>;
  updateSettings(patch: Partial<SettingsView>): Promise<Result<SettingsView>>;
  updateProfile(displayName: string): Promise<Result<AccountView>>;
  changePassphrase(current: string, next: string): Promise<Result<null>>;
  setDraft(conversationId: string, text: string): void;
  showPanel(panel: RightPanel): void;
  showDialog(dialog: DialogName): void;
  /**
   * Sends each file as its own message: refusals (and later failures) land in fileProblems;
   * `onBegun` runs as each message appears.
   */
  sendFiles(conversationId: string, files: readonly File[], onBegun?: () => void): Promise<void>;
  /** Stops an upload (its message goes) or a download (the file stays available). */
  cancelTransfer(messageId: string): Promise<Result<null>>;
  downloadFile(messageId: string): Promise<Result<MessageView>>;
  saveFile(messageId: string): Promise<Result<FileSaveView>>;
  loadFileRules(): Promise<Result<FileRulesView>>;
  setAutoDownload(maxBytes: number): Promise<Result<FileRulesView>>;
  dismissFileProblem(conversationId: string, problemId: string): void;
  /** Opens (or, with null, closes) the delete confirmation. */
  askDelete(target: DeleteTarget | null): void;
  deleteMessage(messageId: string): Promise<Result<null>>;
  deleteConversation(conversationId: string): Promise<Result<null>>;
}

export interface ParleyStore {
  readonly store: StoreApi<ParleyState>;
  readonly actions: ParleyActions;
}

export interface ParleyStoreOptions {
  /** How image previews are made; the browser's canvas unless a test says otherwise. */
  readonly makeThumbnail?: MakeThumbnail;
  /** How a new message is announced; the system's notifications unless a test says otherwise. */
  readonly showNotification?: ShowNotification;
  /** Whether the window has the user's attention (then the open conversation needs no notification). */
  readonly windowFocused?: () => boolean;
}

export function createParleyStore(bridge: ParleyBridge, options: ParleyStoreOptions = {}): ParleyStore {
  const store = createStore<ParleyState>(() => initialState);
  const rawInvoke: Invoke = safeInvoke(bridge);
  // A refusal that says the account is locked or gone means the core changed phase without us
  // hearing it (e.g. the host restarted under this page): ask for the phase once.
  const invoke: Invoke = async (method, ...args) => {
    const result = await rawInvoke(method, ...args);
    if (!result.ok && PHASE_CODES.has(result.error.code) && method !== 'app.state') void refreshAppState();
    return result;
  };
  const { getState: get, setState: set } = store;
  const update = (change: (state: ParleyState) => ParleyState) => set(change(get()), true);
  // Timelines being fetched, so that two effects asking at once cause one request.
  const inFlight = new Set<string>();
  // Files this window is handing over to the core, by transfer id.
  const handOvers = new Map<string, AbortController>();
  let nextProblemId = 1;
  const showNotification = options.showNotification ?? showDesktopNotification;
  const windowFocused = options.windowFocused ?? (() => document.hasFocus());
  // New messages of conversations the list does not hold yet: announced once their view arrives.
  const unannounced = new Map<string, MessageView>();
  let rulesRequest: Promise<Result<FileRulesView>> | null = null;

  function onAppState(app: AppStateView): void {
    const wasReady = get().app?.phase === 'ready';
    update((s) => withAppState(s, app));
    if (app.phase === 'ready' && !wasReady) {
      void actions.loadConversations();
      void loadSettings();
      void actions.loadFileRules();
    }
    // Locked: the core refuses further pieces anyway; stop reading the files now.
    if (app.phase !== 'ready') for (const controller of handOvers.values()) controller.abort();
    // Nor may a message wait here to be announced on a locked screen.
    if (app.phase !== 'ready') unannounced.clear();
  }

  function addFileProblem(conversationId: string, fileName: string, error: FileProblem['error']): void {
    // A problem reported after locking would put a file name back on a locked screen.
    if (get().app?.phase !== 'ready') return;
    const problem: FileProblem = { id: `problem-${nextProblemId++}`, fileName, error };
    update((s) => withFileProblem(s, conversationId, problem));
  }

  /** A desktop notification for a new message, as the settings and the conversation say. */
  function announce(message: MessageView): void {
    const state = get();
    if (state.app?.phase !== 'ready') return;
    const conversation = state.conversations.items.find((c) => c.id === message.conversationId);
    if (!conversation) {
      // The first message of a new conversation comes just before the conversation itself.
      if (!message.outgoing) unannounced.set(message.conversationId, message);
      return;
    }
    const inView = state.activeConversationId === conversation.id && windowFocused();
    const content = state.settings?.notifications ?? 'sender';
    const notification = messageNotification(message, conversation, content, inView, Date.now());
    if (notification) showNotification(notification, () => actions.openConversation(conversation.id));
  }

  async function loadSettings(): Promise<void> {
    const result = await invoke('settings.get');
    // Without settings the app keeps the system theme and no auto-lock; the settings screen
    // shows the error when opened.
    if (result.ok) set({ settings: result.value });
  }

  async function fetchFirstState(): Promise<void> {
    set({ boot: { status: 'loading' } });
    const [info, app, settings] = await Promise.all([
      invoke('app.info'),
      invoke('app.state'),
      // Settings live outside the encrypted store, so the theme applies to the lock screen too.
      rawInvoke('settings.get'),
    ]);
    if (info.ok) set({ info: info.value });
    if (settings.ok) set({ settings: settings.value });
    if (!app.ok) {
      set({ boot: { status: 'failed', error: app.error } });
      return;
    }
    onAppState(app.value);
    set({ boot: { status: 'ready' } });
  }

  /** After a call that changes the phase, ask once: the event normally comes first, this is the net. */
  let refreshing: Promise<void> | null = null;
  function refreshAppState(): Promise<void> {
    refreshing ??= rawInvoke('app.state').then((app) => {
      refreshing = null;
      if (app.ok) onAppState(app.value);
    });
    return refreshing;
  }

  const actions: ParleyActions = {
    start() {
      const stops = [
        bridge.on('app.state', onAppState),
        bridge.on('conversation.updated', (c) => {
          update((s) => withConversation(s, c));
          const waiting = unannounced.get(c.id);
          unannounced.delete(c.id);
          if (waiting) announce(waiting);
        }),
        bridge.on('message.added', (m) => {
          update((s) => withMessage(s, m));
          announce(m);
        }),
        bridge.on('message.updated', (m) => update((s) => withMessage(s, m))),
        bridge.on('contact.updated', (c) => update((s) => withContact(s, c))),
        bridge.on('transfer.progress', (p) => update((s) => withTransferProgress(s, p))),
        bridge.on('message.removed', (m) => update((s) => withMessageRemoved(s, m.id, m.conversationId))),
        bridge.on('conversation.removed', (c) => update((s) => withConversationRemoved(s, c.id))),
      ];
      void fetchFirstState();
      return () => {
        for (const stop of stops) stop();
      };
    },

    retryStart: fetchFirstState,

    async createAccount(args) {
      const result = await invoke('account.create', args);
      if (result.ok) await refreshAppState();
      return result;
    },

    async unlock(passphrase) {
      const result = await invoke('account.unlock', { passphrase });
      if (result.ok) await refreshAppState();
      return result;
    },

    async lock() {
      const result = await invoke('account.lock');
      if (result.ok) await refreshAppState();
      return result;
    },

    async loadConversations() {
      update(withConversationsLoading);
      const result = await invoke('conversation.list');
      if (get().app?.phase !== 'ready') return;
      update((s) =>
        result.ok ? withConversationsLoaded(s, result.value) : withConversationsFailed(s, result.error),
      );
    },

    openConversation(id) {
      update((s) => withActiveConversation(s, id));
    },

    async startChat(userId) {
      const result = await invoke('conversation.open', { userId });
      if (result.ok) {
        update((s) => withActiveConversation(withConversation(s, result.value), result.value.id));
        set({ dialog: 'none' });
      }
      return result;
    },

    async loadTimeline(conversationId) {
      const key = `timeline:${conversationId}`;
      if (inFlight.has(key)) return;
      inFlight.add(key);
      update((s) => withTimelineLoading(s, conversationId, false));
      const result = await invoke('conversation.messages', {
        conversationId,
        before: null,
        limit: PAGE_SIZE,
      });
      inFlight.delete(key);
      if (get().app?.phase !== 'ready') return;
      update((s) =>
        result.ok
          ? withTimelinePage(s, conversationId, result.value, false)
          : withTimelineFailed(s, conversationId, result.error, false),
      );
    },

    async loadOlder(conversationId) {
      const timeline = get().timelines[conversationId];
      const key = `older:${conversationId}`;
      if (!timeline || timeline.olderCursor === null || inFlight.has(key)) return;
      inFlight.add(key);
      update((s) => withTimelineLoading(s, conversationId, true));
      const result = await invoke('conversation.messages', {
        conversationId,
        before: timeline.olderCursor,
        limit: PAGE_SIZE,
      });
      inFlight.delete(key);
      if (get().app?.phase !== 'ready') return;
      update((s) =>
        result.ok
          ? withTimelinePage(s, conversationId, result.value, true)
          : withTimelineFailed(s, conversationId, result.error, true),
      );
    },

    async send(conversationId, text) {
      const result = await invoke('conversation.send', { conversationId, text });
      if (result.ok) update((s) => withMessage(s, result.value));
      return result;
    },

    async retryMessage(messageId) {
      const result = await invoke('message.retry', { messageId });
      if (result.ok) update((s) => withMessage(s, result.value));
      return result;
    },

    async markRead(conversationId) {
      const key = `read:${conversationId}`;
      if (inFlight.has(key)) return;
      inFlight.add(key);
      const result = await invoke('conversation.markRead', { conversationId });
      inFlight.delete(key);
      // A failure leaves the badge up, which says it all; the next message tries again.
      if (result.ok) update((s) => withConversationRead(s, conversationId));
    },

    async loadContact(userId) {
      // The header shows the username when this succeeds; the chat works without it.
      const result = await invoke('contact.get', { userId });
      if (result.ok) update((s) => withContact(s, result.value));
      return result;
    },

    async setMuted(conversationId, muted, forMs) {
      const result = await invoke('conversation.setMuted', { conversationId, muted, forMs });
      if (result.ok) update((s) => withConversation(s, result.value));
      return result;
    },

    async setVerified(userId, verified) {
      const result = await invoke('contact.setVerified', { userId, verified });
      if (result.ok) update((s) => withContact(s, result.value));
      return result;
    },

    async acceptKeyChange(userId) {
      const result = await invoke('contact.acceptKeyChange', { userId });
      if (result.ok) update((s) => withContact(s, result.value));
      return result;
    },

    safetyNumber: (userId) => invoke('contact.safetyNumber', { userId }),
    searchDirectory: (query) => invoke('directory.search', { query }),
    searchMessages: (query) => invoke('message.search', { query, limit: 30 }),

    async updateSettings(patch) {
      const result = await invoke('settings.update', patch);
      if (result.ok) set({ settings: result.value });
      return result;
    },

    async updateProfile(displayName) {
      const result = await invoke('account.updateProfile', { displayName });
      if (result.ok) {
        const app = get().app;
        if (app) set({ app: { ...app, account: result.value } });
      }
      return result;
    },

    changePassphrase: (current, next) => invoke('account.changePassphrase', { current, next }),

    setDraft(conversationId, text) {
      update((s) => withDraft(s, conversationId, text));
    },

    showPanel(panel) {
      set({ rightPanel: panel });
    },

    showDialog(dialog) {
      set({ dialog });
    },

    async sendFiles(conversationId, files, onBegun) {
      const deps = {
        invoke,
        rules: () => actions.loadFileRules(),
        makeThumbnail: options.makeThumbnail ?? makeThumbnail,
        handOvers,
      };
      // One after the other, so the messages show in the order the files were given.
      for (const file of files) {
        const { name } = describeFile(file);
        const begun = await beginSendingFile(deps, conversationId, file);
        if (!begun.ok) {
          addFileProblem(conversationId, name, begun.error);
          continue;
        }
        update((s) => withMessage(s, begun.value.message));
        onBegun?.();
        void begun.value.handedOver.then((result) => {
          if (!result.ok && result.error.code !== 'FILE_CANCELLED') {
            addFileProblem(conversationId, name, result.error);
          }
        });
      }
    },

    async cancelTransfer(messageId) {
      stopHandOver(handOvers, messageId);
      return invoke('file.cancel', { transferId: messageId });
    },

    // The events (message.updated, transfer.progress) carry what follows; the answer is only for
    // an error. Applying it could put back a state the events have already moved past.
    downloadFile: (messageId) => invoke('file.download', { messageId }),
    saveFile: (messageId) => invoke('file.save', { messageId }),

    loadFileRules() {
      const known = get().fileRules;
      if (known) return Promise.resolve({ ok: true, value: known });
      rulesRequest ??= invoke('file.rules').then((result) => {
        rulesRequest = null;
        if (result.ok) set({ fileRules: result.value });
        return result;
      });
      return rulesRequest;
    },

    async setAutoDownload(maxBytes) {
      const result = await invoke('file.setAutoDownload', { maxBytes });
      if (result.ok) set({ fileRules: result.value });
      return result;
    },

    dismissFileProblem(conversationId, problemId) {
      update((s) => withoutFileProblem(s, conversationId, problemId));
    },

    askDelete(target) {
      set({ deleting: target });
    },

    async deleteMessage(messageId) {
      const conversationId = findConversationOf(get(), messageId);
      stopHandOver(handOvers, messageId);
      const result = await invoke('message.delete', { messageId });
      if (result.ok && conversationId) update((s) => withMessageRemoved(s, messageId, conversationId));
      return result;
    },

    async deleteConversation(conversationId) {
      for (const message of get().timelines[conversationId]?.messages ?? [])
        stopHandOver(handOvers, message.id);
      const result = await invoke('conversation.delete', { conversationId });
      if (result.ok) update((s) => withConversationRemoved(s, conversationId));
      return result;
    },
  };

  return { store, actions };
}

function findConversationOf(state: ParleyState, messageId: string): string | null {
  for (const [id, timeline] of Object.entries(state.timelines)) {
    if (timeline.messages.some((m) => m.id === messageId)) return id;
  }
  return null;
}
