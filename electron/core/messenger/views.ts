/** Store rows as the renderer's views (shared/ipc.ts): what a screen shows, nothing secret. */
import type { AccountView, ContactView, ConversationView, MessageView } from '../../../shared/ipc';
import { attachmentView } from '../files/attachment-view';
import type { Account, Contact, Conversation, StoredAttachment, StoredMessage } from '../store';

export function accountView(account: Account, deviceFingerprint: string): AccountView {
  return {
    userId: account.userId,
    deviceId: account.deviceId,
    username: account.username,
    displayName: account.displayName,
    relayUrl: account.relayUrl,
    deviceFingerprint,
    createdAt: account.createdAt,
  };
}

export function contactView(contact: Contact): ContactView {
  return {
    userId: contact.userId,
    username: contact.username,
    displayName: contact.displayName,
    verified: contact.verified,
    keyChanged: contact.keyChanged,
  };
}

export function conversationView(conversation: Conversation, contact: Contact | undefined): ConversationView {
  return {
    id: conversation.id,
    peerUserId: conversation.peerUserId,
    title: contact?.displayName ?? 'Unknown contact',
    lastMessagePreview: conversation.lastMessagePreview,
    lastMessageAt: conversation.lastMessageAt,
    unreadCount: conversation.unreadCount,
    verified: contact?.verified ?? false,
    keyChanged: contact?.keyChanged ?? false,
    muted: conversation.muted,
    mutedUntil: conversation.mutedUntil,
  };
}

/** `attachment`: the message's file, if it has one (its key is wiped here: views never hold it). */
export function messageView(message: StoredMessage, attachment?: StoredAttachment): MessageView {
  if (attachment) attachment.fileKey.fill(0);
  return {
    id: message.id,
    conversationId: message.conversationId,
    senderUserId: message.senderUserId,
    outgoing: message.outgoing,
    kind: message.kind,
    text: message.text,
    sentAt: message.sentAt,
    receivedAt: message.receivedAt,
    state: message.outgoing ? message.state : null,
    attachment: attachment ? attachmentView(attachment) : null,
  };
}

/** A short, readable fingerprint of an identity key for the settings screen (not a safety number). */
export function keyFingerprint(publicKey: Uint8Array): string {
  const hex = Array.from(publicKey.subarray(0, 10), (b) => b.toString(16).padStart(2, '0')).join('');
  return hex.toUpperCase().replace(/(.{4})(?=.)/g, '$1 ');
}
