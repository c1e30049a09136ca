import { useEffect, useState } from 'react';

/**
 * The current time, re-rendered every `intervalMs`. One timer per component is cheap enough for
 * a page of 50 rows; countdowns show minutes, so a 15 s tick keeps them honest.
 */
export function useNow(intervalMs = 15_000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = window.setInterval(() => setNow(Date.now()), intervalMs);
    return () => window.clearInterval(timer);
  }, [intervalMs]);
  return now;
}
