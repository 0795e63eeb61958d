import { INVALID_DATE, isValidTime } from '../../../shared/dates';

/**
 * Formatters made once, on first use: Date#toLocaleString builds a new Intl formatter on every
 * call, which costs more than rendering the row it is for.
 */
function formatter<T>(make: () => T): () => T {
  let made: T | undefined;
  return () => (made ??= make());
}
const FULL = formatter(() => new Intl.DateTimeFormat(undefined, { year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: '2-digit', second: '2-digit' }));

/** 12,345: for counts that re-render often (by hand: the first Intl formatter is slow to make). */
export const num = (n: number) => String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');

const sameDay = (a: Date, b: Date) => a.getFullYear() === b.getFullYear() && a.getMonth() === b.getMonth() && a.getDate() === b.getDate();

/** A row whose time cannot be shown says so, instead of throwing and blanking the screen. */
export const when = (ms: number | null) => (ms === null ? '—' : isValidTime(ms) ? FULL().format(ms) : INVALID_DATE);

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const two = (n: number) => (n < 10 ? `0${n}` : String(n));

/**
 * Compact time for dense lists: the time to the second today, the day and minute otherwise,
 * and the day with its year before this year (a date is never left out but for today).
 * Built by hand, not through Intl: the first Intl formatter costs a list's whole first paint.
 */
export function shortTime(ms: number, now = new Date()): string {
  if (!isValidTime(ms)) return INVALID_DATE;
  const d = new Date(ms);
  if (sameDay(d, now)) return `${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}`;
  if (d.getFullYear() !== now.getFullYear()) return `${MONTHS[d.getMonth()]} ${d.getDate()} ${d.getFullYear()}`;
  return `${MONTHS[d.getMonth()]} ${d.getDate()} ${two(d.getHours())}:${two(d.getMinutes())}`;
}

export function ago(ms: number | null, now = Date.now()): string {
  if (ms === null) return 'never';
  if (!isValidTime(ms)) return INVALID_DATE;
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
  if (ms === undefined || !isValidTime(ms)) return '';
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
