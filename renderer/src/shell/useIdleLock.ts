/**
 * Locks the app after `minutes` without keyboard, pointer or wheel activity. One timer, moved
 * by activity; when it fires late (the computer slept) the lock is immediate.
 */
import { useEffect, useRef } from 'react';
import { idleDeadline, isIdle } from './idle-deadline';

const ACTIVITY_EVENTS = ['keydown', 'pointerdown', 'pointermove', 'wheel', 'touchstart', 'focus'] as const;

export function useIdleLock(minutes: number, lock: () => void): void {
  const lockRef = useRef(lock);
  lockRef.current = lock;

  useEffect(() => {
    if (idleDeadline(0, minutes) === null) return;
    let lastActivity = Date.now();
    let timer: number | undefined;
    let locked = false;

    const schedule = () => {
      window.clearTimeout(timer);
      const deadline = idleDeadline(lastActivity, minutes);
      if (deadline === null) return;
      timer = window.setTimeout(check, Math.max(1000, deadline - Date.now()));
    };
    const check = () => {
      if (locked) return;
      if (isIdle(lastActivity, minutes, Date.now())) {
        locked = true;
        lockRef.current();
      } else schedule();
    };
    const onActivity = () => {
      lastActivity = Date.now();
    };
    // After sleep the timer may not have fired yet; check the moment the page is shown again.
    const onVisible = () => {
      if (document.visibilityState === 'visible') check();
    };

    for (const name of ACTIVITY_EVENTS)
      window.addEventListener(name, onActivity, { passive: true, capture: true });
    document.addEventListener('visibilitychange', onVisible);
    schedule();
    return () => {
      window.clearTimeout(timer);
      for (const name of ACTIVITY_EVENTS) window.removeEventListener(name, onActivity, { capture: true });
      document.removeEventListener('visibilitychange', onVisible);
    };
  }, [minutes]);
}
