/**
 * A menu of actions (WAI-ARIA menu button pattern) drawn in the browser's top layer with the
 * popover API, so that no scrolling or clipping container (the virtualized message log) can cut
 * it. Arrow keys, Home and End move between items; Esc, Tab or a click outside close it, and
 * focus goes back to where it came from.
 */
import { type KeyboardEvent, useLayoutEffect, useRef } from 'react';
import { Icon, type IconName } from './Icon';
import { placeMenu } from './menu-placement';

export interface MenuItem {
  readonly label: string;
  readonly icon: IconName;
  readonly danger?: boolean;
  readonly onSelect: () => void;
}

/** A button the menu hangs from, or the point of a right click. */
export type MenuAnchor =
  | { readonly kind: 'element'; readonly element: HTMLElement; readonly align: 'start' | 'end' }
  | { readonly kind: 'point'; readonly x: number; readonly y: number };

export function Menu({
  label,
  items,
  anchor,
  returnFocusTo,
  onClose,
}: {
  label: string;
  items: readonly MenuItem[];
  anchor: MenuAnchor;
  /** Receives focus when the menu closes with focus inside it. */
  returnFocusTo: HTMLElement | null;
  onClose: () => void;
}) {
  const ref = useRef<HTMLDivElement>(null);
  const onCloseRef = useRef(onClose);
  onCloseRef.current = onClose;

  // biome-ignore lint/correctness/useExhaustiveDependencies: opened once per mount; the anchor is where it opened.
  useLayoutEffect(() => {
    const menu = ref.current;
    if (!menu) return;
    menu.showPopover();
    const rect =
      anchor.kind === 'element'
        ? anchor.element.getBoundingClientRect()
        : { left: anchor.x, top: anchor.y, right: anchor.x, bottom: anchor.y };
    const place = placeMenu(
      rect,
      { width: menu.offsetWidth, height: menu.offsetHeight },
      { width: window.innerWidth, height: window.innerHeight },
      anchor.kind === 'element' ? anchor.align : 'start',
    );
    menu.style.left = `${place.left}px`;
    menu.style.top = `${place.top}px`;
    menu.querySelector<HTMLElement>('[role="menuitem"]')?.focus();

    const onToggle = (event: Event) => {
      if ((event as ToggleEvent).newState !== 'closed') return;
      const focusInside = menu.contains(document.activeElement) || document.activeElement === document.body;
      if (focusInside && returnFocusTo?.isConnected) returnFocusTo.focus();
      onCloseRef.current();
    };
    menu.addEventListener('toggle', onToggle);
    return () => {
      menu.removeEventListener('toggle', onToggle);
      if (menu.matches(':popover-open')) menu.hidePopover();
    };
  }, []);

  const close = () => {
    if (ref.current?.matches(':popover-open')) ref.current.hidePopover();
  };

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const entries = Array.from(ref.current?.querySelectorAll<HTMLElement>('[role="menuitem"]') ?? []);
    const at = entries.indexOf(document.activeElement as HTMLElement);
    const move = (index: number) => {
      event.preventDefault();
      entries[(index + entries.length) % entries.length]?.focus();
    };
    switch (event.key) {
      case 'ArrowDown':
        return move(at + 1);
      case 'ArrowUp':
        return move(at - 1);
      case 'Home':
        return move(0);
      case 'End':
        return move(entries.length - 1);
      case 'Escape':
      case 'Tab':
        // Handled here, so that the app's Esc (closing the side panel) does not also run.
        event.preventDefault();
        event.stopPropagation();
        close();
    }
  };

  return (
    <div ref={ref} className="menu" popover="auto" role="menu" aria-label={label} onKeyDown={onKeyDown}>
      {items.map((item) => (
        <button
          key={item.label}
          type="button"
          role="menuitem"
          tabIndex={-1}
          className={item.danger ? 'menu__item is-danger' : 'menu__item'}
          onClick={() => {
            // Focus goes back first, so that a dialog the item opens returns it there too.
            if (returnFocusTo?.isConnected) returnFocusTo.focus();
            close();
            item.onSelect();
          }}
        >
          <Icon name={item.icon} size={18} />
          {item.label}
        </button>
      ))}
    </div>
  );
}
