/**
 * The app's keyboard shortcuts (UI.md): Ctrl/Cmd+K jump to a conversation, Ctrl/Cmd+N new chat,
 * Alt+Up/Down between conversations, Esc closes panels.
 */
export type ShortcutCommand =
  | 'jumpToConversation'
  | 'newChat'
  | 'previousConversation'
  | 'nextConversation'
  | 'closePanel';

export interface KeyPress {
  readonly key: string;
  readonly ctrlKey: boolean;
  readonly metaKey: boolean;
  readonly altKey: boolean;
  readonly shiftKey: boolean;
}

/** `mac` picks Cmd as the command key; elsewhere it is Ctrl. */
export function shortcutFor(press: KeyPress, mac: boolean): ShortcutCommand | null {
  const command = mac ? press.metaKey && !press.ctrlKey : press.ctrlKey && !press.metaKey;
  const key = press.key.length === 1 ? press.key.toLowerCase() : press.key;
  if (command && !press.altKey && !press.shiftKey) {
    if (key === 'k') return 'jumpToConversation';
    if (key === 'n') return 'newChat';
  }
  if (press.altKey && !press.ctrlKey && !press.metaKey && !press.shiftKey) {
    if (key === 'ArrowUp') return 'previousConversation';
    if (key === 'ArrowDown') return 'nextConversation';
  }
  if (key === 'Escape' && !press.ctrlKey && !press.metaKey && !press.altKey) return 'closePanel';
  return null;
}

/** How to write a shortcut in a hint, e.g. "Ctrl+N" or "⌘N". */
export function shortcutLabel(letter: string, mac: boolean): string {
  return mac ? `⌘${letter.toUpperCase()}` : `Ctrl+${letter.toUpperCase()}`;
}
