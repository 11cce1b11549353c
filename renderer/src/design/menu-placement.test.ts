import { describe, expect, it } from 'vitest';
import { placeMenu } from './menu-placement';

const viewport = { width: 1000, height: 800 };
const menu = { width: 200, height: 120 };
const button = (left: number, top: number) => ({ left, top, right: left + 36, bottom: top + 36 });

describe('placeMenu', () => {
  it('opens under the anchor, at its start or its end', () => {
    expect(placeMenu(button(100, 100), menu, viewport, 'start')).toEqual({ left: 100, top: 140 });
    expect(placeMenu(button(500, 100), menu, viewport, 'end')).toEqual({ left: 336, top: 140 });
  });

  it('opens above when there is no room below', () => {
    expect(placeMenu(button(100, 700), menu, viewport, 'start')).toEqual({ left: 100, top: 576 });
  });

  it('stays inside the window at every edge', () => {
    expect(placeMenu(button(980, 100), menu, viewport, 'start').left).toBe(792);
    expect(placeMenu(button(0, 100), menu, viewport, 'end').left).toBe(8);
    const point = { left: 500, top: 790, right: 500, bottom: 790 };
    const tall = { width: 200, height: 900 };
    expect(placeMenu(point, tall, viewport, 'start').top).toBe(8);
  });
});
