import { inAny, LOOPBACK_RANGES as LOOPBACK } from './cidr';

export interface ThrottleSummary {
  /** Requests answered 429 since the last summary, by address. */
  refused: Map<string, number>;
  /** When the last of those addresses may be heard again. */
  until: number;
}

export interface RejectionThrottleOptions {
  perWindow: number;
  windowMs: number;
  now?: () => number;
  /** Most addresses remembered at once; the oldest are forgotten first. */
  maxAddresses?: number;
  /** Told what was answered 429 (as an activity line): at once for the first, then at most every `summaryEveryMs`. */
  onSummary?: ((message: string) => void) | undefined;
  summaryEveryMs?: number;
}

interface Window {
  startedAt: number;
  rejections: number;
}

/**
 * Counts the requests refused per address in fixed windows. This machine is never throttled:
 * it is the user's own tools, or a local reverse proxy not named with --trust-proxy, behind
 * which every caller, the provider too, shares one address. An address that has been refused
 * `perWindow` times is answered 429 for the rest of its window without its request being read
 * or stored; those answers are only counted, for a summary now and then instead of a row each.
 */
export function createRejectionThrottle(options: RejectionThrottleOptions) {
  const now = options.now ?? Date.now;
  const maxAddresses = options.maxAddresses ?? 100_000;
  const windows = new Map<string, Window>();
  let refused = new Map<string, number>();
  let until = 0;
  let timer: NodeJS.Timeout | null = null;

  function takeSummary(): ThrottleSummary | null {
    if (refused.size === 0) return null;
    const summary = { refused, until };
    refused = new Map();
    until = 0;
    return summary;
  }

  /** The first refusal after a quiet spell is told at once; those after it, together, a little later. */
  function report(): void {
    timer = null;
    const summary = takeSummary();
    if (!summary) return;
    options.onSummary?.(describeThrottle(summary, options.perWindow, options.windowMs));
    timer = setTimeout(report, options.summaryEveryMs ?? 5000);
    timer.unref();
  }

  function current(address: string): Window | undefined {
    const w = windows.get(address);
    if (w && now() - w.startedAt >= options.windowMs) {
      windows.delete(address);
      return undefined;
    }
    return w;
  }

  return {
    /** Milliseconds until this address may be heard again, or 0 when it may be now. */
    blockedFor(address: string): number {
      if (inAny(LOOPBACK, address)) return 0;
      const w = current(address);
      if (!w || w.rejections < options.perWindow) return 0;
      const left = w.startedAt + options.windowMs - now();
      refused.set(address, (refused.get(address) ?? 0) + 1);
      until = Math.max(until, w.startedAt + options.windowMs);
      if (!timer && options.onSummary) {
        timer = setTimeout(report, 0);
        timer.unref();
      }
      return left;
    },
    /** One more request from this address was refused. */
    rejected(address: string): void {
      if (inAny(LOOPBACK, address)) return;
      const w = current(address);
      if (w) {
        w.rejections++;
        return;
      }
      if (windows.size >= maxAddresses) windows.delete(windows.keys().next().value!);
      windows.set(address, { startedAt: now(), rejections: 1 });
    },
    /** What was answered 429 and not yet told, or null when nothing was. */
    takeSummary,
  };
}

export type RejectionThrottle = ReturnType<typeof createRejectionThrottle>;

/** The activity line for a summary: who was refused, how often, and until when. */
export function describeThrottle(summary: ThrottleSummary, perWindow: number, windowMs: number): string {
  const total = [...summary.refused.values()].reduce((a, b) => a + b, 0);
  const worst = [...summary.refused.entries()].sort((a, b) => b[1] - a[1]).slice(0, 5);
  const who = worst.map(([address, n]) => `${address || 'unknown address'} (${n})`).join(', ');
  const more = summary.refused.size > worst.length ? ` and ${summary.refused.size - worst.length} more addresses` : '';
  return (
    `Answered ${total} request${total === 1 ? '' : 's'} 429 without reading ${total === 1 ? 'it' : 'them'}: ${who}${more} ` +
    `had ${perWindow} requests refused within ${Math.round(windowMs / 1000)} s; they are heard again from ${new Date(summary.until).toISOString()}.`
  );
}
