import { ParleyMark } from '../app/ParleyMark';
import { shortcutLabel } from '../shell/keyboard-shortcuts';
import { IS_MAC } from '../shell/useKeyboardShortcuts';
import './chat.css';

/** The middle pane before a conversation is chosen: a hint, never a blank page. */
export function NoChatSelected() {
  return (
    <main className="chat chat--none">
      <div className="no-chat">
        <ParleyMark size={64} />
        <h2 className="no-chat__title">Choose a conversation</h2>
        <p className="no-chat__text">
          Pick someone on the left, or start a new chat with <kbd>{shortcutLabel('n', IS_MAC)}</kbd>. Jump to
          a conversation with <kbd>{shortcutLabel('k', IS_MAC)}</kbd>.
        </p>
        <p className="no-chat__e2ee">
          Messages are end-to-end encrypted. Only the people in a chat can read them.
        </p>
      </div>
    </main>
  );
}
