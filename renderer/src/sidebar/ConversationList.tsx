/** The conversations, newest first, with every state: loading, failed, empty, filtered to nothing. */
import type { KeyboardEvent } from 'react';
import { useActions, useParley } from '../app/ParleyContext';
import { ErrorNotice } from '../design/ErrorNotice';
import { Icon } from '../design/Icon';
import { filterConversations } from '../state/conversation-order';
import { useToday } from '../time/useToday';
import { ConversationItem } from './ConversationItem';
import { ConversationSkeleton } from './ConversationSkeleton';

export function ConversationList({ filter, onOpened }: { filter: string; onOpened: () => void }) {
  const actions = useActions();
  const { status, error, items } = useParley((s) => s.conversations);
  const activeId = useParley((s) => s.activeConversationId);
  const now = useToday();
  const visible = filterConversations(items, filter);

  // Up and Down walk the list like a menu; Tab leaves it.
  const onKeyDown = (event: KeyboardEvent<HTMLElement>) => {
    if (event.altKey || (event.key !== 'ArrowDown' && event.key !== 'ArrowUp')) return;
    const buttons = [...event.currentTarget.querySelectorAll<HTMLElement>('.conversation-item__button')];
    const index = buttons.indexOf(document.activeElement as HTMLElement);
    if (index === -1) return;
    buttons[index + (event.key === 'ArrowDown' ? 1 : -1)]?.focus();
    event.preventDefault();
  };

  return (
    <nav className="conversation-list" aria-label="Conversations" onKeyDown={onKeyDown}>
      {status === 'loading' && items.length === 0 && <ConversationSkeleton />}
      {status === 'failed' && error && (
        <ErrorNotice
          className="conversation-list__error"
          error={error}
          action={
            <button
              type="button"
              className="button button--secondary"
              onClick={() => void actions.loadConversations()}
            >
              Try again
            </button>
          }
        />
      )}
      {status === 'ready' && items.length === 0 && (
        <div className="conversation-list__empty">
          <Icon name="chat" size={32} />
          <p className="conversation-list__empty-title">No conversations yet</p>
          <p>Find someone on your relay by their name or username and say hello.</p>
          <button
            type="button"
            className="button button--primary"
            onClick={() => actions.showDialog('newChat')}
          >
            Find people
          </button>
        </div>
      )}
      {items.length > 0 && visible.length === 0 && (
        <p className="conversation-list__none">No conversation matches “{filter.trim()}”.</p>
      )}
      {visible.length > 0 && (
        <ul className="conversation-list__items">
          {visible.map((conversation) => (
            <li key={conversation.id}>
              <ConversationItem
                conversation={conversation}
                active={conversation.id === activeId}
                now={now}
                onOpen={() => {
                  actions.openConversation(conversation.id);
                  onOpened();
                }}
              />
            </li>
          ))}
        </ul>
      )}
    </nav>
  );
}
