/** Messages that contain what was typed in the search box, newest first (the core's full-text index). */
import { useEffect, useState } from 'react';
import type { ErrorInfo } from '../../../shared/errors';
import type { MessageView } from '../../../shared/ipc';
import { useActions, useParley } from '../app/ParleyContext';
import { ErrorNotice } from '../design/ErrorNotice';
import { Skeleton } from '../design/Skeleton';
import { useDebouncedValue } from '../shell/useDebouncedValue';
import { formatListTime } from '../time/format-time';
import { useToday } from '../time/useToday';

type Search =
  | { status: 'loading' }
  | { status: 'done'; query: string; messages: readonly MessageView[] }
  | { status: 'failed'; error: ErrorInfo };

export function MessageSearchResults({ query, onOpened }: { query: string; onOpened: () => void }) {
  const actions = useActions();
  const conversations = useParley((s) => s.conversations.items);
  const settled = useDebouncedValue(query, 250);
  const [search, setSearch] = useState<Search>({ status: 'loading' });
  const now = useToday();

  useEffect(() => {
    let current = true;
    setSearch({ status: 'loading' });
    actions.searchMessages(settled).then((result) => {
      if (!current) return;
      setSearch(
        result.ok
          ? { status: 'done', query: settled, messages: result.value }
          : { status: 'failed', error: result.error },
      );
    });
    return () => {
      current = false;
    };
  }, [actions, settled]);

  const titleOf = (id: string) => conversations.find((c) => c.id === id)?.title ?? 'Conversation';

  return (
    <section className="message-results" aria-label="Messages found">
      <h2 className="message-results__title">Messages</h2>
      {search.status === 'loading' && (
        <div className="message-results__loading" aria-hidden="true">
          <Skeleton width="80%" />
          <Skeleton width="60%" />
        </div>
      )}
      {search.status === 'failed' && <ErrorNotice error={search.error} announce={false} />}
      {search.status === 'done' && search.messages.length === 0 && (
        <p className="message-results__none">No messages contain “{search.query}”.</p>
      )}
      {search.status === 'done' && search.messages.length > 0 && (
        <ul className="message-results__items">
          {search.messages.map((message) => (
            <li key={message.id}>
              <button
                type="button"
                className="message-result"
                onClick={() => {
                  actions.openConversation(message.conversationId);
                  onOpened();
                }}
              >
                <span className="message-result__top">
                  <span className="message-result__name">{titleOf(message.conversationId)}</span>
                  <span className="message-result__time">{formatListTime(message.sentAt, now)}</span>
                </span>
                <span className="message-result__text">
                  {message.outgoing ? 'You: ' : ''}
                  {message.text}
                </span>
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
