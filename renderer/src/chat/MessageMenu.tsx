/**
 * The actions on one message: from its "More actions" button (keyboard and pointer) or a right
 * click on the bubble. Delete asks first (DeleteDialog); nothing is removed from here.
 */
import type { MessageView } from '../../../shared/ipc';
import { useActions } from '../app/ParleyContext';
import { Menu, type MenuAnchor, type MenuItem } from '../design/Menu';

export function MessageMenu({
  message,
  anchor,
  returnFocusTo,
  onClose,
}: {
  message: MessageView;
  anchor: MenuAnchor;
  returnFocusTo: HTMLElement | null;
  onClose: () => void;
}) {
  const actions = useActions();
  const items: MenuItem[] = [];
  if (message.text !== '' && typeof navigator.clipboard?.writeText === 'function') {
    items.push({
      label: 'Copy text',
      icon: 'copy',
      // Copying can be refused (no permission); the text is on screen to select by hand then.
      onSelect: () => void navigator.clipboard.writeText(message.text).catch(() => {}),
    });
  }
  items.push({
    label: 'Delete',
    icon: 'trash',
    danger: true,
    onSelect: () =>
      actions.askDelete({ kind: 'message', messageId: message.id, hasFile: !!message.attachment }),
  });
  return (
    <Menu
      label="Message actions"
      items={items}
      anchor={anchor}
      returnFocusTo={returnFocusTo}
      onClose={onClose}
    />
  );
}
