/** The left column: who you are and whether you are connected, search, and your conversations. */
import type { ReactNode, RefObject } from 'react';
import { ConnectionStatus } from './ConnectionStatus';
import { ConversationList } from './ConversationList';
import { ConversationSearch } from './ConversationSearch';
import { MessageSearchResults } from './MessageSearchResults';
import { NotificationPrompt } from './NotificationPrompt';
import { SidebarHeader } from './SidebarHeader';
import './sidebar.css';

export function Sidebar({
  searchRef,
  filter,
  onFilterChange,
  children,
}: {
  searchRef: RefObject<HTMLInputElement | null>;
  filter: string;
  onFilterChange: (value: string) => void;
  /** The resize handle, drawn on the column's right edge. */
  children?: ReactNode;
}) {
  return (
    <section className="sidebar" aria-label="Chats">
      <h1 className="sr-only">Parley</h1>
      <SidebarHeader />
      <ConnectionStatus />
      <NotificationPrompt />
      <ConversationSearch inputRef={searchRef} value={filter} onChange={onFilterChange} />
      <div className="sidebar__scroll">
        <ConversationList filter={filter} onOpened={() => onFilterChange('')} />
        {filter.trim().length >= 2 && (
          <MessageSearchResults query={filter.trim()} onOpened={() => onFilterChange('')} />
        )}
      </div>
      {children}
    </section>
  );
}
