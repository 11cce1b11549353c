/**
 * Asks before deleting a message or a conversation from this device. With files, their keys go
 * too (crypto-shredding), so the sentence says that it cannot be undone.
 */
import { useEffect } from 'react';
import { useActions, useParley } from '../app/ParleyContext';
import { ConfirmDialog } from '../design/ConfirmDialog';

export function DeleteDialog() {
  const actions = useActions();
  const target = useParley((s) => s.deleting);

  // What had focus (the message's button, the chat menu) may be gone with what was deleted:
  // then the message log, or the conversation list, takes it rather than the page.
  useEffect(
    () => () => {
      requestAnimationFrame(() => {
        if (document.activeElement !== document.body && document.activeElement !== null) return;
        document.querySelector<HTMLElement>('[role="log"][tabindex], .conversation-item__button')?.focus();
      });
    },
    [],
  );

  if (!target) return null;
  const close = () => actions.askDelete(null);
  if (target.kind === 'message') {
    return (
      <ConfirmDialog
        title="Delete for me?"
        text={
          target.hasFile
            ? "The file's key is erased; this can't be undone."
            : "The message is erased from this device; this can't be undone."
        }
        confirmLabel="Delete"
        onConfirm={() => actions.deleteMessage(target.messageId)}
        onClose={close}
      />
    );
  }
  return (
    <ConfirmDialog
      title="Delete this conversation?"
      text={`Every message and file in your chat with ${target.title} is erased from this device, with the files' keys; this can't be undone.`}
      confirmLabel="Delete conversation"
      onConfirm={() => actions.deleteConversation(target.conversationId)}
      onClose={close}
    />
  );
}
