/** What file transfers need from the messenger (Messenger implements it). */
import type { MessageView } from '../../../shared/ipc';
import type { NewAttachment } from '../store';

export interface FileMessages {
  /** Stores an outgoing message with its file (not sent yet) in one transaction; tells the UI. */
  createFileMessage(
    conversationId: string,
    text: string,
    attachment: (messageId: string) => NewAttachment,
  ): MessageView;
  /** How many devices a message in this conversation goes to; null when not known yet. */
  recipientDevices(conversationId: string): number | null;
  /**
   * Sends a stored file message whose file is on the relay, running `commit` (which marks the
   * file uploaded) in the same transaction as the queued envelopes.
   */
  sendFileMessage(messageId: string, commit: () => void): Promise<void>;
  /** A sent message's delivery state changed for a reason of its file (failed, sending again). */
  setDeliveryState(messageId: string, state: 'sending' | 'failed'): void;
  /** Tells the UI the message (and its file) changed. */
  messageUpdated(messageId: string): void;
  messageView(messageId: string): MessageView;
  /** Sends a failed message again (its file is on the relay). */
  retry(messageId: string): Promise<MessageView>;
  /** Tells the UI a message, or a whole conversation, was deleted. */
  messageRemoved(messageId: string, conversationId: string): void;
  conversationRemoved(conversationId: string): void;
}
