/**
 * Receives envelopes from the relay: opens and decrypts each (Sesame §3.4 via crypto's
 * openMessage), refuses replays and duplicates, and commits session state, consumed prekeys,
 * the replay record and the message in one transaction, before the relay is acknowledged.
 * A message that can never be decrypted is logged (by code, never content) and dropped.
 */
import { type DeviceAddress, parseAddress } from '../../../shared/address';
import { ParleyError } from '../../../shared/errors';
import { type Content, decodeContent } from '../../../shared/wire/content';
import { messageIdToString } from '../../../shared/wire/message-id';
import type { CoreLogger } from '../core';
import { newMessageId, type OpenedMessage, openMessage, type Sodium } from '../crypto';
import { receivedAttachment } from '../files/attachment-pointer';
import { type Clock, DEFAULT_SEEN_RETENTION_MS, type Store } from '../store';
import type { ContactKeys } from './contact-keys';
import type { Courier } from './courier';
import { addKeyChangeNotice } from './key-change-notice';
import type { Notifier } from './notifier';
import type { PrekeyVault } from './prekey-vault';
import type { DirectoryUser, IncomingEnvelope } from './relay-port';
import type { SessionBook } from './session-book';

export interface ReceiverDeps {
  readonly store: Store;
  readonly sodium: Sodium;
  readonly localAddress: string;
  readonly sessions: SessionBook;
  readonly vault: PrekeyVault;
  readonly keys: ContactKeys;
  readonly courier: Courier;
  readonly notifier: Notifier;
  readonly clock: Clock;
  readonly logger: CoreLogger;
  /** Who a user id is, from the relay's directory (for a first message from someone new). */
  readonly lookupUser: (userId: string) => Promise<DirectoryUser | null>;
  /** Called after a commit that queued envelopes (receipts). */
  readonly onQueued: () => void;
  /** Called with the ids of stored messages that carry a file (to check and maybe fetch it). */
  readonly onFiles?: (messageIds: readonly string[]) => void;
}

interface Effects {
  added: string[];
  updated: string[];
  conversations: Set<string>;
  contacts: Set<string>;
  queued: boolean;
  files: string[];
}

export class Receiver {
  constructor(private readonly deps: ReceiverDeps) {}

  /** Processes a batch in order; resolves when all of it is stored (then the relay may be acked). */
  async receive(batch: readonly IncomingEnvelope[]): Promise<void> {
    for (const envelope of batch) await this.receiveOne(envelope);
  }

  private open(bytes: Uint8Array): OpenedMessage {
    const { sodium, store, sessions, vault, localAddress, clock } = this.deps;
    return openMessage(sodium, {
      identity: this.deps.courier.identity,
      localAddress,
      envelope: bytes,
      sessionsWith: (sender) => sessions.load(parseAddress(sender)),
      prekeys: vault,
      now: clock(),
      seen: (key) => store.seen.hasSeen(key),
    });
  }

  private async receiveOne(envelope: IncomingEnvelope): Promise<void> {
    const { store, logger } = this.deps;
    let opened: OpenedMessage;
    try {
      opened = this.open(envelope.bytes);
    } catch (error) {
      this.drop(error);
      return;
    }
    const sender = parseAddress(opened.sender);
    let newcomer: DirectoryUser | null = null;
    if (!store.contacts.get(sender.userId)) {
      newcomer = (await this.deps.lookupUser(sender.userId).catch(() => null)) ?? {
        userId: sender.userId,
        username: sender.userId,
        displayName: 'Unknown contact',
      };
      // The lookup awaited: sessions may have moved on meanwhile, so open again and commit at once.
      try {
        opened = this.open(envelope.bytes);
      } catch (error) {
        this.drop(error);
        return;
      }
    }
    const effects: Effects = {
      added: [],
      updated: [],
      conversations: new Set(),
      contacts: new Set(),
      queued: false,
      files: [],
    };
    try {
      store.transaction(() => this.commit(opened, sender, newcomer, effects));
    } catch (error) {
      // A refusal is final; anything else (a locked or full disk) must not be acknowledged.
      if (!(error instanceof ParleyError)) throw error;
      this.drop(error);
      return;
    }
    this.announce(effects);
    logger.info({ event: 'message.received' }, 'stored an incoming envelope');
  }

  private commit(
    opened: OpenedMessage,
    sender: DeviceAddress,
    newcomer: DirectoryUser | null,
    fx: Effects,
  ): void {
    const { store, sessions, vault, keys, clock } = this.deps;
    const now = clock();
    if (opened.timestamp < now - DEFAULT_SEEN_RETENTION_MS) {
      throw new ParleyError('CRYPTO_REPLAY', 'An envelope older than the replay window was refused.');
    }
    if (!store.seen.markSeen(opened.replayKey, now)) return;
    sessions.saveAfterDecrypt(sender, sessions.load(sender), opened.sessionIndex, opened.session, now);
    vault.consume(opened.consumedPrekeys);
    if (newcomer) keys.upsert(newcomer, opened.remoteIdentityKey, now);
    const observed = keys.observe(sender, opened.remoteIdentityKey, now);

    let content: Content;
    try {
      content = decodeContent(opened.plaintext);
    } catch (error) {
      // The session still advanced; keep that, drop the unreadable content.
      this.deps.logger.warn(
        { event: 'message.bad_content', code: codeOf(error) },
        'dropped content that does not decode',
      );
      return;
    }
    const conversation = () => this.conversationWith(sender.userId, now, fx);
    if (observed === 'changed') {
      fx.contacts.add(sender.userId);
      fx.added.push(addKeyChangeNotice(store, conversation(), sender.userId, now));
    }
    if (content.type === 'text') {
      const id = messageIdToString(opened.messageId);
      const stored = store.messages.insert({
        id,
        conversationId: conversation(),
        senderUserId: sender.userId,
        outgoing: false,
        kind: 'text',
        text: content.text,
        sentAt: opened.timestamp,
        receivedAt: now,
        state: 'delivered',
      });
      if (!stored) return;
      if (content.attachment) {
        store.attachments.insert(receivedAttachment(id, content.attachment, now));
        fx.files.push(id);
      }
      fx.added.push(id);
      const receipt = messageIdToString(newMessageId());
      const delivered: Content = { type: 'delivery-receipt', messageIds: [opened.messageId] };
      if (this.deps.courier.enqueue(sender.userId, receipt, delivered, now) > 0) fx.queued = true;
      return;
    }
    const state = content.type === 'delivery-receipt' ? 'delivered' : 'read';
    for (const raw of content.messageIds) {
      const id = messageIdToString(raw);
      const message = store.messages.get(id);
      const peer = message && store.conversations.get(message.conversationId)?.peerUserId;
      // Only the person a message went to may confirm it.
      if (message?.outgoing && peer === sender.userId && store.messages.setState(id, state))
        fx.updated.push(id);
    }
  }

  private conversationWith(userId: string, now: number, fx: Effects): string {
    const { store } = this.deps;
    const existing = store.conversations.getByPeer(userId);
    const id =
      existing?.id ??
      store.conversations.create({
        id: messageIdToString(newMessageId()),
        peerUserId: userId,
        createdAt: now,
      }).id;
    fx.conversations.add(id);
    return id;
  }

  private announce(fx: Effects): void {
    const { notifier } = this.deps;
    for (const userId of fx.contacts) notifier.contact(userId);
    for (const id of fx.added) notifier.messageAdded(id);
    for (const id of fx.updated) notifier.messageUpdated(id);
    for (const id of fx.conversations) notifier.conversation(id);
    if (fx.queued) this.deps.onQueued();
    if (fx.files.length > 0) this.deps.onFiles?.(fx.files);
  }

  private drop(error: unknown): void {
    this.deps.logger.warn(
      { event: 'message.dropped', code: codeOf(error) },
      'dropped an envelope that cannot be used',
    );
  }
}

function codeOf(error: unknown): string {
  return error instanceof ParleyError ? error.code : 'INTERNAL';
}
