import { useActions, useParley } from '../app/ParleyContext';
import { Avatar } from '../design/Avatar';
import { Icon } from '../design/Icon';
import { shortcutLabel } from '../shell/keyboard-shortcuts';
import { IS_MAC } from '../shell/useKeyboardShortcuts';

/** Your own name, and the two actions that are always at hand: new chat and settings. */
export function SidebarHeader() {
  const actions = useActions();
  const account = useParley((s) => s.app?.account ?? null);
  return (
    <header className="sidebar-header">
      {account && <Avatar id={account.userId} name={account.displayName} size={32} />}
      <div className="sidebar-header__who">
        <span className="sidebar-header__name">{account?.displayName ?? 'Parley'}</span>
        {account && <span className="sidebar-header__username">@{account.username}</span>}
      </div>
      <button
        type="button"
        className="icon-button"
        aria-label="New chat"
        aria-keyshortcuts={IS_MAC ? 'Meta+N' : 'Control+N'}
        title={`New chat (${shortcutLabel('n', IS_MAC)})`}
        onClick={() => actions.showDialog('newChat')}
      >
        <Icon name="compose" />
      </button>
      <button
        type="button"
        className="icon-button"
        aria-label="Settings"
        title="Settings"
        onClick={() => actions.showDialog('settings')}
      >
        <Icon name="settings" />
      </button>
    </header>
  );
}
