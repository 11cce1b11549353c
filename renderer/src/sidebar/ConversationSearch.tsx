/** Ctrl/Cmd+K lands here: type to narrow the list, Enter opens the first match, Down walks the list. */
import type { KeyboardEvent, RefObject } from 'react';
import { useActions, useParley } from '../app/ParleyContext';
import { Icon } from '../design/Icon';
import { shortcutLabel } from '../shell/keyboard-shortcuts';
import { IS_MAC } from '../shell/useKeyboardShortcuts';
import { filterConversations } from '../state/conversation-order';

export function ConversationSearch({
  inputRef,
  value,
  onChange,
}: {
  inputRef: RefObject<HTMLInputElement | null>;
  value: string;
  onChange: (value: string) => void;
}) {
  const actions = useActions();
  const conversations = useParley((s) => s.conversations.items);

  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'Enter') {
      const first = filterConversations(conversations, value)[0];
      if (first) {
        actions.openConversation(first.id);
        onChange('');
      }
      event.preventDefault();
    } else if (event.key === 'ArrowDown') {
      document.querySelector<HTMLElement>('.conversation-item__button')?.focus();
      event.preventDefault();
    } else if (event.key === 'Escape' && value !== '') {
      onChange('');
      event.preventDefault();
    }
  };

  return (
    <search className="sidebar-search">
      <Icon name="search" size={16} className="sidebar-search__icon" />
      <input
        ref={inputRef}
        type="search"
        className="sidebar-search__input"
        aria-label="Search conversations"
        aria-keyshortcuts={IS_MAC ? 'Meta+K' : 'Control+K'}
        placeholder={`Search  ${shortcutLabel('k', IS_MAC)}`}
        value={value}
        onChange={(event) => onChange(event.target.value)}
        onKeyDown={onKeyDown}
        spellCheck={false}
      />
    </search>
  );
}
