import { useEffect, useState } from 'react';

/** Seconds since `since`, ticking: for operations that take a while with nothing else to show. */
export function Elapsed({ since }: { since: number }) {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(t);
  }, []);
  return <span className="muted num">{Math.max(0, Math.round((now - since) / 1000))} s</span>;
}
