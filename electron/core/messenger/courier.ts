/**
 * Seals one piece of content for every device of a user, advancing each session, and queues
 * the envelopes in the outbox. Runs inside the caller's transaction, so the ratchet steps, the
 * message row and the outbox rows commit together (CONVENTIONS, Crypto rules).
 */
import { type Content, encodeContent } from '../../../shared/wire/content';
import { messageIdFromString } from '../../../shared/wire/message-id';
import { type IdentityKeyPair, type Sodium, sealMessage } from '../crypto';
import type { Store } from '../store';
import type { SessionBook } from './session-book';

export class Courier {
  constructor(
    private readonly store: Store,
    private readonly sodium: Sodium,
    private readonly sessions: SessionBook,
    readonly identity: IdentityKeyPair,
  ) {}

  /** Returns how many device copies were queued (0 when there is no session with the user). */
  enqueue(userId: string, messageId: string, content: Content, now: number): number {
    const plaintext = encodeContent(content);
    const meta = { messageId: messageIdFromString(messageId), timestamp: now };
    let queued = 0;
    for (const address of this.sessions.addresses(userId)) {
      const [active, ...others] = this.sessions.load(address);
      if (!active) continue;
      const sealed = sealMessage(this.sodium, active, plaintext, meta);
      this.sessions.saveActive(address, sealed.session, others, now);
      this.store.outbox.enqueue({
        messageId,
        recipient: address,
        envelope: sealed.envelope,
        nextAttemptAt: now,
        createdAt: now,
      });
      queued++;
    }
    return queued;
  }
}
