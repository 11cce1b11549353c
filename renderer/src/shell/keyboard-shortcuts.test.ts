import { describe, expect, it } from 'vitest';
import { type KeyPress, shortcutFor } from './keyboard-shortcuts';

const press = (key: string, mods: Partial<KeyPress> = {}): KeyPress => ({
  key,
  ctrlKey: false,
  metaKey: false,
  altKey: false,
  shiftKey: false,
  ...mods,
});

describe('keyboard shortcuts', () => {
  it('maps Ctrl on Windows and Linux, Cmd on macOS', () => {
    expect(shortcutFor(press('k', { ctrlKey: true }), false)).toBe('jumpToConversation');
    expect(shortcutFor(press('K', { ctrlKey: true }), false)).toBe('jumpToConversation');
    expect(shortcutFor(press('n', { ctrlKey: true }), false)).toBe('newChat');
    expect(shortcutFor(press('n', { metaKey: true }), true)).toBe('newChat');
    expect(shortcutFor(press('n', { ctrlKey: true }), true)).toBeNull();
    expect(shortcutFor(press('n', { metaKey: true }), false)).toBeNull();
  });

  it('moves between conversations with Alt+Up/Down and closes with Esc', () => {
    expect(shortcutFor(press('ArrowUp', { altKey: true }), false)).toBe('previousConversation');
    expect(shortcutFor(press('ArrowDown', { altKey: true }), true)).toBe('nextConversation');
    expect(shortcutFor(press('ArrowDown'), false)).toBeNull();
    expect(shortcutFor(press('Escape'), false)).toBe('closePanel');
  });

  it('leaves ordinary typing and other combinations alone', () => {
    expect(shortcutFor(press('n'), false)).toBeNull();
    expect(shortcutFor(press('n', { ctrlKey: true, shiftKey: true }), false)).toBeNull();
    expect(shortcutFor(press('k', { altKey: true }), false)).toBeNull();
  });
});
