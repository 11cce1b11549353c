import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { MessageView } from '../../../shared/ipc';
import { compareMessages, mergeMessages, upsertMessage } from './message-timeline';

function message(id: string, sentAt: number, state: MessageView['state'] = 'sent'): MessageView {
  return {
    id,
    conversationId: 'c1',
    senderUserId: 'me',
    outgoing: true,
    kind: 'text',
    text: id,
    sentAt,
    receivedAt: null,
    state,
  };
}

describe('message timeline', () => {
  it('appends a newer message and inserts an older one in place', () => {
    let list = upsertMessage([], message('b', 20));
    list = upsertMessage(list, message('c', 30));
    list = upsertMessage(list, message('a', 10));
    expect(list.map((m) => m.id)).toEqual(['a', 'b', 'c']);
  });

  it('replaces a message by id (a delivery state update) without duplicating it', () => {
    const list = upsertMessage(
      [message('a', 10, 'sending'), message('b', 20)],
      message('a', 10, 'delivered'),
    );
    expect(list.map((m) => `${m.id}:${m.state}`)).toEqual(['a:delivered', 'b:sent']);
  });

  it('shows each message once, in order, whatever the order and repetition of arrivals', () => {
    const arb = fc.array(fc.record({ id: fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f'), at: fc.nat(100) }), {
      maxLength: 40,
    });
    fc.assert(
      fc.property(arb, fc.array(fc.nat(5), { maxLength: 40 }), (arrivals, pageSizes) => {
        // A message's time is fixed by its id, as in the core.
        const messages = arrivals.map(({ id }) => message(id, id.charCodeAt(0)));
        let list: readonly MessageView[] = [];
        let i = 0;
        for (const size of pageSizes) {
          list = mergeMessages(list, messages.slice(i, i + size));
          i += size;
        }
        for (; i < messages.length; i++) list = upsertMessage(list, messages[i]!);
        const ids = list.map((m) => m.id);
        expect(new Set(ids).size).toBe(ids.length);
        expect(new Set(ids)).toEqual(new Set(messages.map((m) => m.id)));
        for (let k = 1; k < list.length; k++) expect(compareMessages(list[k - 1]!, list[k]!)).toBeLessThan(0);
      }),
    );
  });
});
