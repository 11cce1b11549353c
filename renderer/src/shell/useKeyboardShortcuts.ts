/** Listens for the app's shortcuts on the whole window and runs the matching command. */
import { useEffect, useRef } from 'react';
import { type ShortcutCommand, shortcutFor } from './keyboard-shortcuts';

export const IS_MAC = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.userAgent);

export function useKeyboardShortcuts(run: (command: ShortcutCommand, event: KeyboardEvent) => boolean): void {
  const runRef = useRef(run);
  runRef.current = run;
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.defaultPrevented || event.isComposing) return;
      const command = shortcutFor(event, IS_MAC);
      if (command && runRef.current(command, event)) event.preventDefault();
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, []);
}
