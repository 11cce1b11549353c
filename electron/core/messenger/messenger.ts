/**
 * The 1:1 messenger for one unlocked account: conversations, sending through the outbox,
 * receiving, receipts, contacts and their keys, safety numbers, and prekey upkeep. Built from
 * its parts with everything passed in, so a test can run several in one process.
 */
import { formatAddress } from '../../../shared/address';
import { ParleyError } from '../../../shared/errors';
import type {
  ContactView,
  ConversationView,
  DirectoryEntry,
  MessagePage,
  MessageView,
  SafetyNumberView,
} from '../../../shared/ipc';
import type { AttachmentPointer, Content } from '../../../shared/wire/content';
import { messageIdFromString, messageIdToString } from '../../../shared/wire/message-id';
import type { EventHub } from '../api/event-hub';
import type { CoreLogger } from '../core';
import {
  asIdentityPublicKey,
  type IdentityKeyPair,
  newMessageId,
  type Sodium,
  safetyNumber,
  wipe,
} from '../crypto';
import { pointerOf } from '../files/attachment-pointer';
import type { FileMessages } from '../files/file-messages';
import type { Account, Clock, NewAttachment, Store, StoredMessage } from '../store';
import { ContactKeys } from './contact-keys';
import { Courier } from './courier';
import { addKeyChangeNotice } from './key-change-notice';
import { Notifier } from './notifier';
import { OutboxPump } from './outbox-pump';
import { PrekeyVault } from './prekey-vault';
import { Receiver } from './receiver';
import type { DirectoryUser, IncomingEnvelope, RelayPort } from './relay-port';
import { SessionBook } from './session-book';
import { SessionSetup } from './session-setup';
import { contactView, conversationView, messageView } from './views';

export interface MessengerDeps {
  readonly store: Store;
  readonly sodium: Sodium;
  readonly identity: IdentityKeyPair;
  readonly account: Account;
  readonly relay: RelayPort & { lookupUser(userId: string): Promise<DirectoryUser | null> };
  readonly events: EventHub;
  readonly clock: Clock;
  readonly logger: CoreLogger;
}

export class Messenger implements FileMessages {
  private readonly store: Store;
  private readonly sessions: SessionBook;
  private readonly keys: ContactKeys;
  private readonly courier: Courier;
  private readonly notifier: Notifier;
  private readonly setup: SessionSetup;
  private readonly receiver: Receiver;
  readonly vault: PrekeyVault;
  readonly pump: OutboxPump;
  private readonly directory = new Map<string, DirectoryUser>();
  /** Receiving and session set-up change sessions: one at a time. */
  private inbound: Promise<void> = Promise.resolve();
  private incomingFiles: (messageIds: readonly string[]) => void = () => {};

  constructor(private readonly deps: MessengerDeps) {
    const { store, sodium, identity, account, relay, clock, logger, events } = deps;
    const localAddress = formatAddress({ userId: account.userId, deviceId: account.deviceId });
    this.store = store;
    this.sessions = new SessionBook(store, sodium);
    this.keys = new ContactKeys(store);
    this.courier = new Courier(store, sodium, this.sessions, identity);
    this.notifier = new Notifier(store, events);
    this.vault = new PrekeyVault(store, sodium, identity);
    this.setup = new SessionSetup({
      store,
      sodium,
      identity,
      localAddress,
      relay,
      sessions: this.sessions,
      keys: this.keys,
      clock,
    });
    this.pump = new OutboxPump({
      store,
      relay,
      clock,
      logger,
      onSent: (ids) => this.advance(ids, 'sent'),
      onFailed: (ids) => this.advance(ids, 'failed'),
    });
    this.receiver = new Receiver({
      store,
      sodium,
      localAddress,
      sessions: this.sessions,
      vault: this.vault,
      keys: this.keys,
      courier: this.courier,
      notifier: this.notifier,
      clock,
      logger,
      lookupUser: (userId) => this.lookupUser(userId),
      onQueued: () => this.pump.wake(),
      onFiles: (messageIds) => this.incomingFiles(messageIds),
    });
  }

  // ---- the relay side ------------------------------------------------------------------------

  /** Stores a delivered batch; the relay is acknowledged only after this resolves. */
  receive(batch: readonly IncomingEnvelope[]): Promise<void> {
    return this.serial(() => this.receiver.receive(batch));
  }

  /** Called with the ids of received messages that carry a file, once they are stored. */
  onIncomingFiles(listener: (messageIds: readonly string[]) => void): void {
    this.incomingFiles = listener;
  }

  setOnline(online: boolean): void {
    this.pump.setOnline(online);
  }

  /** Replenishes and rotates prekeys as the policy says (on connect, on `prekeys:low`, daily). */
  async maintainPrekeys(): Promise<void> {
    const counts = await this.deps.relay.prekeyCounts();
    const upload = this.vault.maintain(counts, this.deps.clock());
    if (upload) await this.deps.relay.uploadPrekeys(upload);
  }

  queued(): number {
    return this.store.outbox.size();
  }

  async stop(): Promise<void> {
    await this.pump.stop();
    await this.inbound.catch(() => {});
  }

  // ---- conversations -------------------------------------------------------------------------

  listConversations(limit = 200): ConversationView[] {
    return this.store
      .listConversations(limit)
      .map((c) => conversationView(c, this.store.contacts.get(c.peerUserId)));
  }

  async searchDirectory(query: string): Promise<DirectoryEntry[]> {
    const users = query.trim() === '' ? [] : await this.deps.relay.searchDirectory(query.trim());
    for (const user of users) this.directory.set(user.userId, user);
    return users.filter((u) => u.userId !== this.deps.account.userId);
  }

  /** The chat with a person, set up (keys fetched, sessions started) on first use. */
  async openConversation(userId: string): Promise<ConversationView> {
    if (userId === this.deps.account.userId) {
      throw new ParleyError('INVALID_ARGUMENT', 'You cannot start a chat with yourself.');
    }
    if (!this.setup.has(userId)) {
      const user = (await this.lookupUser(userId)) ?? this.knownUser(userId);
      if (!user)
        throw new ParleyError('CONTACT_UNKNOWN', 'That person is not in the directory of this relay.');
      await this.serial(() => this.startSessions(user));
    }
    const now = this.deps.clock();
    const conversation =
      this.store.conversations.getByPeer(userId) ??
      this.store.conversations.create({
        id: messageIdToString(newMessageId()),
        peerUserId: userId,
        createdAt: now,
      });
    const view = conversationView(conversation, this.store.contacts.get(userId));
    this.deps.events.emit('conversation.updated', view);
    return view;
  }

  pageMessages(conversationId: string, before: string | null, limit: number): MessagePage {
    this.conversation(conversationId);
    const cursor = before === null ? null : Number(before);
    if (cursor !== null && !Number.isSafeInteger(cursor)) {
      throw new ParleyError('INVALID_ARGUMENT', 'That is not a position in this chat.');
    }
    const page = this.store.pageMessages(conversationId, cursor, limit);
    const firstUnread = page.messages.find(
      (m) => !m.outgoing && m.kind === 'text' && m.state === 'delivered',
    );
    return {
      messages: page.messages.map((m) => this.viewOf(m)),
      olderCursor: page.before === null ? null : String(page.before),
      firstUnreadId: firstUnread?.id ?? null,
    };
  }

  /** Stores the message and queues it for every device of the peer, in one transaction. */
  async sendText(conversationId: string, text: string): Promise<MessageView> {
    const conversation = this.conversation(conversationId);
    const peer = conversation.peerUserId;
    this.keys.assertMaySend(peer);
    let reachable = true;
    if (!this.setup.has(peer)) {
      const user = this.knownUser(peer);
      reachable =
        user !== null &&
        (await this.serial(() => this.startSessions(user)).then(
          () => true,
          () => false,
        ));
    }
    const id = messageIdToString(newMessageId());
    const now = this.deps.clock();
    this.store.transaction(() => {
      this.insertOutgoing(id, conversationId, text, now);
      const content: Content = { type: 'text', text, attachment: null };
      // Without a session (set-up failed offline) the message is kept as failed, to retry.
      if (!reachable || this.courier.enqueue(peer, id, content, now) === 0)
        this.store.messages.setState(id, 'failed');
    });
    this.notifier.messageAdded(id);
    this.pump.wake();
    return this.messageView(id);
  }

  /** Sends a failed message again (the same id, so a copy that did arrive is not shown twice). */
  async retry(messageId: string): Promise<MessageView> {
    const message = this.store.messages.get(messageId);
    if (!message?.outgoing || message.kind !== 'text')
      throw new ParleyError('NOT_FOUND', 'That message is not one of yours.');
    if (message.state !== 'failed') return this.viewOf(message);
    const attachment = this.store.attachments.get(messageId);
    const pointer = attachment ? pointerOf(attachment) : null;
    if (attachment && !pointer) {
      throw new ParleyError('FILE_NOT_READY', 'The file is not on the relay yet; it is sent once it is.');
    }
    const peer = this.conversation(message.conversationId).peerUserId;
    this.keys.assertMaySend(peer);
    if (!this.setup.has(peer)) {
      const user = this.knownUser(peer);
      if (user) await this.serial(() => this.startSessions(user));
    }
    const now = this.deps.clock();
    const queued = this.store.transaction(() => {
      this.store.outbox.removeForMessage(messageId);
      const count = this.courier.enqueue(
        peer,
        messageId,
        { type: 'text', text: message.text, attachment: pointer },
        now,
      );
      if (count > 0) this.store.messages.setState(messageId, 'sending');
      return count;
    });
    if (queued === 0) {
      throw new ParleyError(
        'RELAY_UNREACHABLE',
        "Couldn't reach the relay to set up a secure session. Try again when you are online.",
      );
    }
    if (attachment) wipe(this.deps.sodium, attachment.fileKey);
    this.notifier.messageUpdated(messageId);
    this.pump.wake();
    return this.messageView(messageId);
  }

  /** Marks the chat read and tells the sender's devices with read receipts. */
  /**
   * Mutes a conversation's notifications, for `forMs` or until unmuted, or unmutes it (the
   * renderer shows notifications; this remembers).
   */
  setMuted(conversationId: string, muted: boolean, forMs?: number): ConversationView {
    const until = muted && forMs !== undefined ? this.deps.clock() + forMs : null;
    this.store.conversations.setMuted(conversationId, muted, until);
    this.notifier.conversation(conversationId);
    const conversation = this.conversation(conversationId);
    return conversationView(conversation, this.store.contacts.get(conversation.peerUserId));
  }

  markRead(conversationId: string): void {
    const conversation = this.conversation(conversationId);
    const now = this.deps.clock();
    const read = this.store.transaction(() => {
      const marked = this.store
        .markRead(conversationId)
        .filter((m) => m.senderUserId === conversation.peerUserId);
      for (let i = 0; i < marked.length; i += 500) {
        const ids = marked.slice(i, i + 500).map((m) => messageIdFromString(m.id));
        const content: Content = { type: 'read-receipt', messageIds: ids };
        this.courier.enqueue(conversation.peerUserId, messageIdToString(newMessageId()), content, now);
      }
      return marked;
    });
    this.notifier.conversation(conversationId);
    if (read.length > 0) this.pump.wake();
  }

  search(query: string, limit: number): MessageView[] {
    return this.store.searchMessages(query, limit).messages.map((m) => this.viewOf(m));
  }

  /** Stores a message this device sends, as `sending` (inside the caller's transaction). */
  private insertOutgoing(id: string, conversationId: string, text: string, now: number): void {
    this.store.messages.insert({
      id,
      conversationId,
      senderUserId: this.deps.account.userId,
      outgoing: true,
      kind: 'text',
      text,
      sentAt: now,
      receivedAt: null,
      state: 'sending',
    });
  }

  // ---- files (electron/core/files drives these) ----------------------------------------------

  createFileMessage(
    conversationId: string,
    text: string,
    attachment: (messageId: string) => NewAttachment,
  ): MessageView {
    const conversation = this.conversation(conversationId);
    this.keys.assertMaySend(conversation.peerUserId);
    const id = messageIdToString(newMessageId());
    const now = this.deps.clock();
    this.store.transaction(() => {
      this.insertOutgoing(id, conversationId, text, now);
      this.store.attachments.insert(attachment(id));
    });
    this.notifier.messageAdded(id);
    return this.messageView(id);
  }

  recipientDevices(conversationId: string): number | null {
    const peer = this.conversation(conversationId).peerUserId;
    const devices = this.sessions.addresses(peer).length;
    return devices > 0 ? devices : null;
  }

  async sendFileMessage(messageId: string, commit: () => void): Promise<void> {
    const message = this.store.messages.get(messageId);
    if (!message) return;
    const peer = this.conversation(message.conversationId).peerUserId;
    let maySend = true;
    try {
      this.keys.assertMaySend(peer);
    } catch {
      maySend = false; // kept as failed: sent again once the key change is accepted
    }
    let reachable = true;
    if (maySend && !this.setup.has(peer)) {
      const user = this.knownUser(peer);
      reachable =
        user !== null &&
        (await this.serial(() => this.startSessions(user)).then(
          () => true,
          () => false,
        ));
    }
    const now = this.deps.clock();
    this.store.transaction(() => {
      commit();
      const attachment = this.store.attachments.get(messageId);
      const pointer: AttachmentPointer | null = attachment ? pointerOf(attachment) : null;
      if (!pointer) throw new ParleyError('INTERNAL', 'The file is not on the relay.');
      const content: Content = { type: 'text', text: message.text, attachment: pointer };
      const queued = maySend && reachable ? this.courier.enqueue(peer, messageId, content, now) : 0;
      wipe(this.deps.sodium, pointer.key);
      if (queued === 0) this.store.messages.setState(messageId, 'failed');
    });
    this.notifier.messageUpdated(messageId);
    this.pump.wake();
  }

  setDeliveryState(messageId: string, state: 'sending' | 'failed'): void {
    if (this.store.messages.get(messageId) && this.store.messages.setState(messageId, state))
      this.notifier.messageUpdated(messageId);
  }

  messageUpdated(messageId: string): void {
    this.notifier.messageUpdated(messageId);
  }

  messageView(messageId: string): MessageView {
    const message = this.store.messages.get(messageId);
    if (!message) throw new ParleyError('NOT_FOUND', 'That message does not exist any more.');
    return this.viewOf(message);
  }

  messageRemoved(messageId: string, conversationId: string): void {
    this.notifier.messageRemoved(messageId, conversationId);
  }

  conversationRemoved(conversationId: string): void {
    this.notifier.conversationRemoved(conversationId);
  }

  // ---- contacts ------------------------------------------------------------------------------

  contact(userId: string): ContactView {
    return contactView(this.knownContact(userId));
  }

  safetyNumber(userId: string): SafetyNumberView {
    const contact = this.knownContact(userId);
    const devices = this.store.contacts.listDevices(userId);
    const keys = (devices.length > 0 ? devices.map((d) => d.identityKey) : [contact.identityKey]).map(
      asIdentityPublicKey,
    );
    const number = safetyNumber(
      this.deps.sodium,
      { userId: this.deps.account.userId, identityKeys: [this.deps.identity.publicKey] },
      { userId, identityKeys: keys },
    );
    return { userId, digits: number.digits, qrPayload: number.text, verified: contact.verified };
  }

  setVerified(userId: string, verified: boolean): ContactView {
    const contact = this.knownContact(userId);
    const now = this.deps.clock();
    this.store.transaction(() => {
      this.store.contacts.setVerified(userId, verified, now);
      // Verifying the current number also settles a pending key change.
      if (verified && contact.keyChanged) this.store.contacts.setKeyChanged(userId, false, now);
    });
    this.notifier.contact(userId);
    return this.contact(userId);
  }

  acceptKeyChange(userId: string): ContactView {
    const view = contactView(this.keys.acceptChange(userId, this.deps.clock()));
    this.notifier.contact(userId);
    return view;
  }

  // ---- internals -----------------------------------------------------------------------------

  private async startSessions(user: DirectoryUser): Promise<void> {
    const { changed } = await this.setup.start(user);
    if (changed.length > 0) {
      const conversation = this.store.conversations.getByPeer(user.userId);
      if (conversation) {
        const id = addKeyChangeNotice(this.store, conversation.id, user.userId, this.deps.clock());
        this.notifier.messageAdded(id);
      }
      this.notifier.contact(user.userId);
    }
  }

  private serial<T>(task: () => Promise<T>): Promise<T> {
    const run = this.inbound.then(task, task);
    this.inbound = run.then(
      () => {},
      () => {},
    );
    return run;
  }

  private async lookupUser(userId: string): Promise<DirectoryUser | null> {
    const cached = this.directory.get(userId);
    if (cached) return cached;
    const found = await this.deps.relay.lookupUser(userId);
    if (found) this.directory.set(userId, found);
    return found;
  }

  private knownUser(userId: string): DirectoryUser | null {
    const contact = this.store.contacts.get(userId);
    if (contact) return { userId, username: contact.username, displayName: contact.displayName };
    return this.directory.get(userId) ?? null;
  }

  private knownContact(userId: string) {
    const contact = this.store.contacts.get(userId);
    if (!contact)
      throw new ParleyError(
        'CONTACT_UNKNOWN',
        'This contact is not known on this device. Start a chat with them first.',
      );
    return contact;
  }

  private conversation(conversationId: string) {
    const conversation = this.store.conversations.get(conversationId);
    if (!conversation) throw new ParleyError('NOT_FOUND', 'That conversation is not on this device.');
    return conversation;
  }

  private viewOf(message: StoredMessage): MessageView {
    return messageView(message, this.store.attachments.get(message.id));
  }

  private advance(messageIds: readonly string[], state: 'sent' | 'failed'): void {
    for (const id of messageIds) {
      if (this.store.messages.get(id) && this.store.messages.setState(id, state))
        this.notifier.messageUpdated(id);
    }
  }
}
