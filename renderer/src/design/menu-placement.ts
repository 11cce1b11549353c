/**
 * Where a menu opens: under its anchor (a button, or the pointer for a context menu), or above
 * it when there is no room below, moved in so that it never leaves the window.
 */
export interface Rect {
  readonly left: number;
  readonly top: number;
  readonly right: number;
  readonly bottom: number;
}

export interface Size {
  readonly width: number;
  readonly height: number;
}

/** Edge kept free between a menu and the window's border. */
const MARGIN = 8;
/** Space between the anchor and the menu. */
const GAP = 4;

export function placeMenu(
  anchor: Rect,
  menu: Size,
  viewport: Size,
  align: 'start' | 'end',
): { left: number; top: number } {
  const below = anchor.bottom + GAP;
  const above = anchor.top - GAP - menu.height;
  let top = below;
  if (below + menu.height > viewport.height - MARGIN) {
    top = above >= MARGIN ? above : viewport.height - MARGIN - menu.height;
  }
  const preferred = align === 'start' ? anchor.left : anchor.right - menu.width;
  const left = clamp(preferred, MARGIN, viewport.width - MARGIN - menu.width);
  return { left: Math.round(left), top: Math.round(Math.max(MARGIN, top)) };
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(Math.max(value, min), Math.max(min, max));
}
