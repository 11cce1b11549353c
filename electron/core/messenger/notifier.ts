/** Turns store changes into the renderer's events (shared/ipc.ts ParleyEvents). */
import type { EventHub } from '../api/event-hub';
import type { Store } from '../store';
import { contactView, conversationView, messageView } from './views';

export class Notifier {
  constructor(
    private readonly store: Store,
    private readonly events: EventHub,
  ) {}

  messageAdded(messageId: string): void {
    const message = this.store.messages.get(messageId);
    if (!message) return;
    this.events.emit('message.added', messageView(message, this.store.attachments.get(messageId)));
    this.conversation(message.conversationId);
  }

  messageUpdated(messageId: string): void {
    const message = this.store.messages.get(messageId);
    if (message)
      this.events.emit('message.updated', messageView(message, this.store.attachments.get(messageId)));
  }

  messageRemoved(messageId: string, conversationId: string): void {
    this.events.emit('message.removed', { id: messageId, conversationId });
    this.conversation(conversationId);
  }

  conversationRemoved(conversationId: string): void {
    this.events.emit('conversation.removed', { id: conversationId });
  }

  conversation(conversationId: string): void {
    const conversation = this.store.conversations.get(conversationId);
    if (!conversation) return;
    this.events.emit(
      'conversation.updated',
      conversationView(conversation, this.store.contacts.get(conversation.peerUserId)),
    );
  }

  contact(userId: string): void {
    const contact = this.store.contacts.get(userId);
    if (!contact) return;
    this.events.emit('contact.updated', contactView(contact));
    const conversation = this.store.conversations.getByPeer(userId);
    if (conversation) this.conversation(conversation.id);
  }
}
