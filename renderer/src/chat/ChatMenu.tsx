/** The chat header's menu: what applies to the whole conversation. */
import { useRef, useState } from 'react';
import type { ConversationView } from '../../../shared/ipc';
import { useActions } from '../app/ParleyContext';
import { Icon } from '../design/Icon';
import { Menu } from '../design/Menu';
import { MUTE_CHOICES, useMuted } from '../notifications/mute';

export function ChatMenu({ conversation }: { conversation: ConversationView }) {
  const actions = useActions();
  const [open, setOpen] = useState(false);
  const muted = useMuted(conversation);
  const button = useRef<HTMLButtonElement>(null);
  return (
    <>
      <button
        ref={button}
        type="button"
        className="icon-button"
        aria-label="Chat actions"
        title="Chat actions"
        aria-haspopup="menu"
        aria-expanded={open}
        onClick={() => setOpen(true)}
      >
        <Icon name="more" />
      </button>
      {open && button.current && (
        <Menu
          label="Chat actions"
          anchor={{ kind: 'element', element: button.current, align: 'end' }}
          returnFocusTo={button.current}
          onClose={() => setOpen(false)}
          items={[
            ...(muted
              ? [
                  {
                    label: 'Unmute notifications',
                    icon: 'bell' as const,
                    onSelect: () => void actions.setMuted(conversation.id, false),
                  },
                ]
              : MUTE_CHOICES.map((choice) => ({
                  label: choice.label,
                  icon: 'bellOff' as const,
                  onSelect: () => void actions.setMuted(conversation.id, true, choice.forMs ?? undefined),
                }))),
            {
              label: 'Delete conversation',
              icon: 'trash',
              danger: true,
              onSelect: () =>
                actions.askDelete({
                  kind: 'conversation',
                  conversationId: conversation.id,
                  title: conversation.title,
                }),
            },
          ]}
        />
      )}
    </>
  );
}
