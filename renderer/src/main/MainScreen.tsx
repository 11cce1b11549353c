/**
 * The messenger: conversation list on the left, the open chat in the middle, contact details on
 * the right when asked for. Owns the app-wide shortcuts and the idle lock.
 */
import { type CSSProperties, useEffect, useRef, useState } from 'react';
import { useActions, useParley } from '../app/ParleyContext';
import { ChatPane } from '../chat/ChatPane';
import { DeleteDialog } from '../chat/DeleteDialog';
import { NoChatSelected } from '../chat/NoChatSelected';
import { ContactPanel } from '../contact/ContactPanel';
import { NewChatDialog } from '../newchat/NewChatDialog';
import { SettingsDialog } from '../settings/SettingsDialog';
import { useIdleLock } from '../shell/useIdleLock';
import { useKeyboardShortcuts } from '../shell/useKeyboardShortcuts';
import { Sidebar } from '../sidebar/Sidebar';
import { filterConversations, neighbourConversation, totalUnread } from '../state/conversation-order';
import { SidebarResizer } from './SidebarResizer';
import './main.css';

export function MainScreen() {
  const actions = useActions();
  const activeId = useParley((s) => s.activeConversationId);
  const rightPanel = useParley((s) => s.rightPanel);
  const dialog = useParley((s) => s.dialog);
  const deleting = useParley((s) => s.deleting !== null);
  const conversations = useParley((s) => s.conversations.items);
  const autoLockMinutes = useParley((s) => s.settings?.autoLockMinutes ?? 0);
  const [sidebarWidth, setSidebarWidth] = useState(300);
  const [filter, setFilter] = useState('');
  const searchRef = useRef<HTMLInputElement>(null);

  useIdleLock(autoLockMinutes, () => void actions.lock());

  const unread = totalUnread(conversations);
  useEffect(() => {
    document.title = unread > 0 ? `(${unread}) Parley` : 'Parley';
  }, [unread]);

  useKeyboardShortcuts((command) => {
    // The open dialog has the keyboard (Esc closes it natively).
    if (dialog !== 'none' || deleting) return false;
    switch (command) {
      case 'jumpToConversation':
        searchRef.current?.focus();
        searchRef.current?.select();
        return true;
      case 'newChat':
        actions.showDialog('newChat');
        return true;
      case 'previousConversation':
      case 'nextConversation': {
        const visible = filterConversations(conversations, filter);
        const next = neighbourConversation(visible, activeId, command === 'nextConversation' ? 1 : -1);
        if (next !== null) actions.openConversation(next);
        return true;
      }
      case 'closePanel':
        if (rightPanel === 'none') return false;
        actions.showPanel('none');
        return true;
    }
  });

  return (
    <div className="main-screen" style={{ '--sidebar-width': `${sidebarWidth}px` } as CSSProperties}>
      <Sidebar searchRef={searchRef} filter={filter} onFilterChange={setFilter}>
        <SidebarResizer width={sidebarWidth} onResize={setSidebarWidth} />
      </Sidebar>
      {activeId !== null ? <ChatPane key={activeId} conversationId={activeId} /> : <NoChatSelected />}
      {activeId !== null && rightPanel === 'contact' && <ContactPanel conversationId={activeId} />}
      {dialog === 'newChat' && <NewChatDialog />}
      {dialog === 'settings' && <SettingsDialog />}
      {deleting && <DeleteDialog />}
    </div>
  );
}
