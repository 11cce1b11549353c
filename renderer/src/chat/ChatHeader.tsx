import type { ConversationView } from '../../../shared/ipc';
import { useActions, useParley } from '../app/ParleyContext';
import { Avatar } from '../design/Avatar';
import { Icon } from '../design/Icon';
import { mutedLabel, useMuted } from '../notifications/mute';
import { ChatMenu } from './ChatMenu';

/**
 * Who you are talking to, whether you verified them or muted the chat, the way to their safety
 * number, and the conversation's menu.
 */
export function ChatHeader({ conversation }: { conversation: ConversationView }) {
  const actions = useActions();
  const username = useParley((s) => s.contacts[conversation.peerUserId]?.username ?? null);
  const panelOpen = useParley((s) => s.rightPanel === 'contact');
  const muted = useMuted(conversation);
  return (
    <header className="chat-header">
      <Avatar id={conversation.peerUserId} name={conversation.title} size={36} />
      <div className="chat-header__who">
        <h2 className="chat-header__name">{conversation.title}</h2>
        <p className="chat-header__sub">
          {conversation.verified && (
            <span className="verified-mark">
              <Icon name="shieldCheck" size={14} />
              Verified
            </span>
          )}
          {username && <span className="chat-header__username">@{username}</span>}
          {muted && (
            <span className="chat-header__muted">
              <Icon name="bellOff" size={14} />
              {mutedLabel(conversation, Date.now())}
            </span>
          )}
        </p>
      </div>
      <button
        type="button"
        className={`button button--ghost${panelOpen ? ' is-pressed' : ''}`}
        aria-expanded={panelOpen}
        data-contact-panel-trigger
        aria-controls={panelOpen ? 'contact-panel' : undefined}
        onClick={() => actions.showPanel(panelOpen ? 'none' : 'contact')}
      >
        <Icon name="shield" size={18} />
        Safety number
      </button>
      <ChatMenu conversation={conversation} />
    </header>
  );
}
