/**
 * The contract between the renderer and the messenger core. Both transports (Electron's preload
 * and the browser host's WebSocket bridge) are built from it, so a renamed method breaks the
 * build rather than the app. Nothing here may carry a secret: views hold what a screen shows.
 */
import type { ErrorInfo } from './errors';
import type { Result } from './result';

export type ThemePreference = 'system' | 'light' | 'dark';
export type ConnectionState = 'connecting' | 'online' | 'offline';
export type DeliveryState = 'sending' | 'sent' | 'delivered' | 'read' | 'failed';

export interface AppInfo {
  readonly name: 'Parley';
  readonly version: string;
  /** The relay address a first run suggests (the embedded relay when none is configured). */
  readonly defaultRelayUrl: string;
}

export interface AccountView {
  readonly userId: string;
  readonly deviceId: number;
  readonly username: string;
  readonly displayName: string;
  readonly relayUrl: string;
  /** Short fingerprint of this device's identity key, for the settings screen. */
  readonly deviceFingerprint: string;
  readonly createdAt: number;
}

/** Which screen the app is on, as decided by the core. */
export type AppPhase = 'onboarding' | 'locked' | 'ready';

export interface AppStateView {
  readonly phase: AppPhase;
  readonly account: AccountView | null;
  readonly connection: ConnectionState;
  /** Messages waiting in the outbox for the relay. */
  readonly queued: number;
}

export interface DirectoryEntry {
  readonly userId: string;
  readonly username: string;
  readonly displayName: string;
}

export interface ConversationView {
  readonly id: string;
  readonly peerUserId: string;
  readonly title: string;
  readonly lastMessagePreview: string | null;
  readonly lastMessageAt: number | null;
  readonly unreadCount: number;
  readonly verified: boolean;
  /** The peer's identity key changed and the user has not accepted it yet. */
  readonly keyChanged: boolean;
  /** No notifications for this conversation (its unread count still shows, quietly)... */
  readonly muted: boolean;
  /** ...until this time (ms since the epoch; past: not muted any more), or null: until unmuted. */
  readonly mutedUntil: number | null;
}

export interface MessageView {
  readonly id: string;
  readonly conversationId: string;
  readonly senderUserId: string;
  readonly outgoing: boolean;
  readonly kind: 'text' | 'system';
  /** The text, or a file's caption (possibly empty when `attachment` is set). */
  readonly text: string;
  readonly sentAt: number;
  readonly receivedAt: number | null;
  readonly state: DeliveryState | null;
  /** The file this message carries; the core always sets it (null for a message without one). */
  readonly attachment?: AttachmentView | null;
}

/**
 * Where a file stands on this device. Sender: staging (the app is handing it over) → uploading
 * → uploaded (on the relay; the message went out), or failed. Recipient: available (not yet
 * downloaded) → downloading → downloaded (kept encrypted here, ready to save), or damaged
 * (FILE_DAMAGED, nothing kept), unavailable (gone from the relay) or blocked (this device's file
 * rules refuse it). paused: waiting for the relay; it resumes by itself.
 */
export type FileTransferState =
  | 'staging'
  | 'uploading'
  | 'uploaded'
  | 'failed'
  | 'available'
  | 'downloading'
  | 'downloaded'
  | 'damaged'
  | 'unavailable'
  | 'blocked'
  | 'paused';

export interface AttachmentView {
  /** Safe to show and to use as a default file name: no path separators or control characters. */
  readonly fileName: string;
  readonly mimeType: string;
  /** Size of the file in bytes. */
  readonly size: number;
  /** The sender's preview as a `data:image/...;base64,` URL (JPEG, PNG or WebP), or null. */
  readonly thumbnail: string | null;
  readonly state: FileTransferState;
  /** Bytes uploaded or downloaded so far, as last stored (live figures come as transfer.progress). */
  readonly bytesDone: number;
  /** Why it is failed, damaged, unavailable or blocked; null otherwise. */
  readonly error: ErrorInfo | null;
}

/** A file moving to or from the relay; sent a few times a second and on every change of state. */
export interface TransferProgressView {
  /** The transfer's id: the id of the message that carries the file. */
  readonly transferId: string;
  readonly messageId: string;
  readonly conversationId: string;
  readonly direction: 'upload' | 'download';
  readonly state: FileTransferState;
  /** Bytes of the file done and in all (the file's own size, not the encrypted one). */
  readonly bytesDone: number;
  readonly bytesTotal: number;
  /** Recent speed; 0 while paused. Time left = (bytesTotal - bytesDone) / bytesPerSecond. */
  readonly bytesPerSecond: number;
  readonly error: ErrorInfo | null;
}

/** This device's file rules (from its configuration, later the managed policy) and setting. */
export interface FileRulesView {
  /** Largest file that may be sent, in bytes. */
  readonly maxBytes: number;
  /** Lower-case extensions without the dot, e.g. "exe". */
  readonly blockedExtensions: readonly string[];
  readonly blockedMimeTypes: readonly string[];
  /** When not null, only these may be sent (blocked ones still are not). */
  readonly allowedExtensions: readonly string[] | null;
  readonly allowedMimeTypes: readonly string[] | null;
  /** Largest `data` of one file.chunk call, decoded, in bytes. */
  readonly maxChunkBytes: number;
  /** Largest thumbnail, decoded, in bytes. */
  readonly maxThumbnailBytes: number;
  /** Received files up to this size download by themselves; 0 turns that off. */
  readonly autoDownloadMaxBytes: number;
  /**
   * file.save takes a received file not downloaded yet (it downloads and decrypts it in one
   * pass): Electron's save dialog can; the browser host's download links need the download first.
   */
  readonly saveWhileDownloading: boolean;
}

export interface FileBegun {
  /** Pass to file.chunk, file.finish and file.cancel; it is the message's id. */
  readonly transferId: string;
  readonly message: MessageView;
}

/**
 * The outcome of file.save: saved where the person chose (Electron's dialog), cancelled in that
 * dialog, or a one-time link to open for the browser's own download (browser host).
 */
export interface FileSaveView {
  readonly outcome: 'saved' | 'cancelled' | 'link';
  /** The name it was saved under (saved), or null. */
  readonly fileName: string | null;
  /** The one-time download link to open (link), or null. */
  readonly url: string | null;
}

export interface MessagePage {
  readonly messages: readonly MessageView[];
  /** Pass back as `before` to get the next older page; null when there is none. */
  readonly olderCursor: string | null;
  /** The oldest unread incoming message, for the unread marker. */
  readonly firstUnreadId: string | null;
}

export interface ContactView {
  readonly userId: string;
  readonly username: string;
  readonly displayName: string;
  readonly verified: boolean;
  readonly keyChanged: boolean;
}

export interface SafetyNumberView {
  readonly userId: string;
  /** 60 digits, both sides see the same. */
  readonly digits: string;
  /** What the QR code encodes (and what a user may paste to compare). */
  readonly qrPayload: string;
  readonly verified: boolean;
}

/**
 * What a notification of a new message shows: its sender and text, its sender only ("New
 * message"), neither ("Parley: New message"), or no notification at all. The system keeps what
 * a notification shows outside Parley's encryption, so the default shows the sender only.
 */
export type NotificationContent = 'message' | 'sender' | 'hidden' | 'off';

export interface SettingsView {
  readonly theme: ThemePreference;
  readonly autoLockMinutes: number;
  readonly notifications: NotificationContent;
}

export interface ParleyApi {
  'app.info': () => AppInfo;
  'app.state': () => AppStateView;
  'account.create': (args: {
    relayUrl: string;
    username: string;
    displayName: string;
    invitationCode: string | null;
    passphrase: string;
  }) => AccountView;
  'account.unlock': (args: { passphrase: string }) => AccountView;
  'account.lock': () => null;
  'account.changePassphrase': (args: { current: string; next: string }) => null;
  'account.updateProfile': (args: { displayName: string }) => AccountView;
  'directory.search': (args: { query: string }) => DirectoryEntry[];
  'conversation.list': () => ConversationView[];
  'conversation.open': (args: { userId: string }) => ConversationView;
  'conversation.messages': (args: {
    conversationId: string;
    before: string | null;
    limit: number;
  }) => MessagePage;
  'conversation.send': (args: { conversationId: string; text: string }) => MessageView;
  'conversation.markRead': (args: { conversationId: string }) => null;
  /** `forMs`: mute for this long (a minute to a year); without it, until unmuted. */
  'conversation.setMuted': (args: {
    conversationId: string;
    muted: boolean;
    forMs?: number;
  }) => ConversationView;
  'message.retry': (args: { messageId: string }) => MessageView;
  'message.search': (args: { query: string; limit: number }) => MessageView[];
  'contact.get': (args: { userId: string }) => ContactView;
  'contact.safetyNumber': (args: { userId: string }) => SafetyNumberView;
  'contact.setVerified': (args: { userId: string; verified: boolean }) => ContactView;
  'contact.acceptKeyChange': (args: { userId: string }) => ContactView;
  'settings.get': () => SettingsView;
  'settings.update': (args: Partial<SettingsView>) => SettingsView;
  'message.delete': (args: { messageId: string }) => null;
  'conversation.delete': (args: { conversationId: string }) => null;
  'file.rules': () => FileRulesView;
  'file.setAutoDownload': (args: { maxBytes: number }) => FileRulesView;
  /** Refuses (FILE_TOO_LARGE, FILE_TYPE_BLOCKED) what file.begin would refuse, before anything is read. */
  'file.check': (args: { name: string; size: number; mimeType: string }) => null;
  /** `thumbnail`: base64 of a JPEG, PNG or WebP preview; `text`: an optional caption. */
  'file.begin': (args: {
    conversationId: string;
    name: string;
    size: number;
    mimeType: string;
    thumbnail: string | null;
    text?: string;
  }) => FileBegun;
  /**
   * `data`: the bytes at `offset` (in order, each at most maxChunkBytes), as bytes: Electron's IPC
   * and the host's binary frames carry them without any encoding.
   */
  'file.chunk': (args: { transferId: string; offset: number; data: Uint8Array }) => { received: number };
  'file.finish': (args: { transferId: string }) => MessageView;
  /** Stops an upload (its message is removed) or a download (the file stays available). */
  'file.cancel': (args: { transferId: string }) => null;
  'file.download': (args: { messageId: string }) => MessageView;
  'file.save': (args: { messageId: string }) => FileSaveView;
}

export interface ParleyEvents {
  'app.state': AppStateView;
  'conversation.updated': ConversationView;
  'message.added': MessageView;
  'message.updated': MessageView;
  'contact.updated': ContactView;
  'transfer.progress': TransferProgressView;
  'message.removed': { readonly id: string; readonly conversationId: string };
  'conversation.removed': { readonly id: string };
}

export type ApiMethod = keyof ParleyApi;
export type ApiEvent = keyof ParleyEvents;
export type ApiArgs<M extends ApiMethod> = Parameters<ParleyApi[M]> extends [infer A] ? A : undefined;
export type ApiReturn<M extends ApiMethod> = ReturnType<ParleyApi[M]>;

/** Every method name, at run time (the preload and the host accept only these). */
export const API_METHODS = [
  'app.info',
  'app.state',
  'account.create',
  'account.unlock',
  'account.lock',
  'account.changePassphrase',
  'account.updateProfile',
  'directory.search',
  'conversation.list',
  'conversation.open',
  'conversation.messages',
  'conversation.send',
  'conversation.markRead',
  'conversation.setMuted',
  'message.retry',
  'message.search',
  'contact.get',
  'contact.safetyNumber',
  'contact.setVerified',
  'contact.acceptKeyChange',
  'settings.get',
  'settings.update',
  'message.delete',
  'conversation.delete',
  'file.rules',
  'file.setAutoDownload',
  'file.check',
  'file.begin',
  'file.chunk',
  'file.finish',
  'file.cancel',
  'file.download',
  'file.save',
] as const satisfies readonly ApiMethod[];

export const API_EVENTS = [
  'app.state',
  'conversation.updated',
  'message.added',
  'message.updated',
  'contact.updated',
  'transfer.progress',
  'message.removed',
  'conversation.removed',
] as const satisfies readonly ApiEvent[];

// Compile-time proof that the lists above name every method and event.
type Missing<All, Listed> = Exclude<All, Listed>;
const _allMethods: Missing<ApiMethod, (typeof API_METHODS)[number]> extends never ? true : never = true;
const _allEvents: Missing<ApiEvent, (typeof API_EVENTS)[number]> extends never ? true : never = true;
void _allMethods;
void _allEvents;

/** What the renderer sees as `window.parley`, whichever transport carries it. */
export interface ParleyBridge {
  invoke<M extends ApiMethod>(
    method: M,
    ...args: ApiArgs<M> extends undefined ? [] : [ApiArgs<M>]
  ): Promise<Result<ApiReturn<M>>>;
  on<E extends ApiEvent>(event: E, listener: (payload: ParleyEvents[E]) => void): () => void;
}

const METHOD_SET: ReadonlySet<string> = new Set(API_METHODS);
const EVENT_SET: ReadonlySet<string> = new Set(API_EVENTS);

export function isApiMethod(value: unknown): value is ApiMethod {
  return typeof value === 'string' && METHOD_SET.has(value);
}

export function isApiEvent(value: unknown): value is ApiEvent {
  return typeof value === 'string' && EVENT_SET.has(value);
}

/** Channel names used by Electron's ipcMain/ipcRenderer. */
export const IPC_INVOKE_CHANNEL = 'parley:invoke';
export const IPC_EVENT_CHANNEL = 'parley:event';
