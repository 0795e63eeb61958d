const sameDay = (a: Date, b: Date) => a.toDateString() === b.toDateString();

export const when = (ms: number | null) => (ms === null ? '—' : new Date(ms).toLocaleString());

/** Compact time for dense lists: the time to the second today, the day and minute otherwise. */
export function shortTime(ms: number): string {
  const d = new Date(ms);
  if (sameDay(d, new Date())) return d.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false });
  const time = d.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', hour12: false });
  return `${d.toLocaleDateString([], { month: 'short', day: 'numeric' })} ${time}`;
}

export function ago(ms: number | null, now = Date.now()): string {
  if (ms === null) return 'never';
  const s = Math.round((now - ms) / 1000);
  if (s < 5) return 'just now';
  if (s < 60) return `${s} s ago`;
  if (s < 3600) return `${Math.round(s / 60)} min ago`;
  if (s < 86400) return `${Math.round(s / 3600)} h ago`;
  return `${Math.round(s / 86400)} d ago`;
}

export const millis = (ms: number | null) => (ms === null ? '—' : ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`);

export function percent(ratio: number | null): string {
  if (ratio === null) return '—';
  // 99.96% is not 100%: keep one decimal unless the value is whole.
  const p = Math.floor(ratio * 1000) / 10;
  return `${Number.isInteger(p) ? p : p.toFixed(1)}%`;
}

export function duration(seconds: number): string {
  if (seconds === 0) return 'immediately';
  if (seconds < 60) return `${seconds} s`;
  if (seconds < 3600) return `${+(seconds / 60).toFixed(1)} min`;
  if (seconds < 86400) return `${+(seconds / 3600).toFixed(1)} h`;
  return `${+(seconds / 86400).toFixed(1)} d`;
}

/** "0, 5s, 5m, 2h, 1d" → seconds; null with a reason when a part does not parse. */
export function parseDelays(text: string): { delays: number[] } | { error: string } {
  const parts = text
    .split(/[\s,]+/)
    .map((p) => p.trim())
    .filter(Boolean);
  const unit: Record<string, number> = { '': 1, s: 1, m: 60, min: 60, h: 3600, d: 86400 };
  const delays: number[] = [];
  for (const part of parts) {
    const m = /^(\d+(?:\.\d+)?)(s|m|min|h|d)?$/i.exec(part);
    if (!m) return { error: `"${part}" is not a delay; write seconds or 30s, 5m, 2h, 1d, separated by commas.` };
    delays.push(Math.round(Number(m[1]) * unit[(m[2] ?? '').toLowerCase()]!));
  }
  if (delays.length > 50) return { error: 'At most 50 retries.' };
  if (delays.some((d) => d > 7 * 86400)) return { error: 'A single delay can be at most 7 days.' };
  return { delays };
}

/** For <input type="datetime-local">: local time without seconds. */
export function toLocalInput(ms: number | undefined): string {
  if (ms === undefined) return '';
  const d = new Date(ms);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

export function fromLocalInput(value: string): number | undefined {
  if (!value) return undefined;
  const ms = new Date(value).getTime();
  return Number.isNaN(ms) ? undefined : ms;
}

/** Seconds in the short form parseDelays reads back: 0, 30s, 5m, 2h, 1d. */
export function compactDelay(seconds: number): string {
  if (seconds === 0) return '0';
  if (seconds % 86400 === 0) return `${seconds / 86400}d`;
  if (seconds % 3600 === 0) return `${seconds / 3600}h`;
  if (seconds % 60 === 0) return `${seconds / 60}m`;
  return `${seconds}s`;
}
