import { useEffect, useState } from 'react';

/** The current time, refreshed every `ms`: for "3 s ago" texts that should not go stale. */
export function useNow(ms = 5000): number {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), ms);
    return () => clearInterval(t);
  }, [ms]);
  return now;
}
