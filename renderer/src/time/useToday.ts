/**
 * The current moment, refreshed when the local day changes, so that "Today" becomes "Yesterday"
 * at midnight without re-rendering every minute.
 */
import { useEffect, useState } from 'react';

export function useToday(): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const current = new Date(now);
    const nextMidnight = new Date(current.getFullYear(), current.getMonth(), current.getDate() + 1).getTime();
    const timer = window.setTimeout(() => setNow(Date.now()), Math.max(1000, nextMidnight - now + 1000));
    return () => window.clearTimeout(timer);
  }, [now]);
  return now;
}
