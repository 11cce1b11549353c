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
  MessageView,
  ParleyBridge,
  SafetyNumberView,
  SettingsView,
} from '../../../shared/ipc';
import type { Result } from '../../../shared/result';
import {
  type DialogName,
  initialState,
  type ParleyState,
  type RightPanel,
  withActiveConversation,
  withAppState,
  withContact,
  withConversation,
  withConversationRead,
  withConversationsFailed,
  withConversationsLoaded,
  withConversationsLoading,
  withDraft,
  withMessage,
  withTimelineFailed,
  withTimelineLoading,
  withTimelinePage,
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
}

export interface ParleyStore {
  readonly store: StoreApi<ParleyState>;
  readonly actions: ParleyActions;
}

export function createParleyStore(bridge: ParleyBridge): ParleyStore {
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

  function onAppState(app: AppStateView): void {
    const wasReady = get().app?.phase === 'ready';
    update((s) => withAppState(s, app));
    if (app.phase === 'ready' && !wasReady) {
      void actions.loadConversations();
      void loadSettings();
    }
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
        bridge.on('conversation.updated', (c) => update((s) => withConversation(s, c))),
        bridge.on('message.added', (m) => update((s) => withMessage(s, m))),
        bridge.on('message.updated', (m) => update((s) => withMessage(s, m))),
        bridge.on('contact.updated', (c) => update((s) => withContact(s, c))),
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
  };

  return { store, actions };
}
