import type { PushEvent } from '../../shared/contract';
import type { EndpointHealth } from './tray-status';

/**
 * Which push events become a desktop notification, what it says, and how often:
 * at most one per kind per interval; what arrives meanwhile is folded into one
 * summary shown when the interval ends. Plain Node, unit-tested.
 */

export type NoticeKind = 'attempt-failed' | 'endpoint-disabled' | 'signature-rejected' | 'tunnel-gap';
/** The page a click on the notification opens. */
export type NoticeTarget = 'deliveries' | 'endpoints' | 'tunnel';

export interface Notice {
  kind: NoticeKind;
  title: string;
  body: string;
  target: NoticeTarget;
}

export const NOTICE_INTERVAL_MS = 30_000;
/** A tunnel gap shorter than this is in the feed and the status, not worth a banner. */
export const TUNNEL_GAP_NOTICE_MS = 60_000;
const BODY_MAX = 180;

/**
 * Payload-derived text (event names, reasons, endpoint names) is hostile: some Linux
 * notification servers read markup in the body, and control or bidi characters can
 * disguise what is shown. Angle brackets and ampersands become look-alikes, control and
 * format characters go, whitespace collapses, and the text is capped.
 */
export function plainText(text: string, max = BODY_MAX): string {
  const cleaned = text
    .replace(/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]+/gu, ' ')
    .replace(/</g, '‹')
    .replace(/>/g, '›')
    .replace(/&/g, '＆')
    .replace(/\s+/g, ' ')
    .trim();
  const chars = [...cleaned];
  return chars.length > max ? chars.slice(0, max - 1).join('') + '…' : cleaned;
}

function hostOf(url: string): string {
  try {
    // Only the host: a URL's path or query may carry a token.
    return new URL(url).host;
  } catch {
    return 'an endpoint';
  }
}

/**
 * The notice for an event, or null. `previous` is how the event's endpoint stood
 * before it (for an endpoint event); `endpointName` names an endpoint by id.
 */
export function noticeFor(event: PushEvent, previous: EndpointHealth | undefined, endpointName: (id: string) => string | undefined): Notice | null {
  switch (event.type) {
    case 'attempt': {
      const a = event.attempt;
      if (a.succeeded) return null;
      const who = endpointName(a.endpointId) ?? hostOf(a.url);
      const why = a.status !== null ? `answered HTTP ${a.status}` : (a.error ?? 'no answer');
      return {
        kind: 'attempt-failed',
        title: 'Delivery attempt failed',
        body: plainText(`${who}: ${why} (attempt ${a.attemptNo}${a.trigger === 'manual' ? ', resend' : ''}).`),
        target: 'endpoints',
      };
    }
    case 'endpoint': {
      const e = event.endpoint;
      // Switched off just now, after failures: the dispatcher's doing (410 Gone, retries
      // exhausted), not a person pressing Disable on a healthy endpoint.
      if (!previous?.active || e.active || e.consecutiveFailures === 0) return null;
      return {
        kind: 'endpoint-disabled',
        title: 'Endpoint disabled',
        body: plainText(`${e.name}: ${e.disabledReason ?? 'disabled after repeated failures.'} Nothing is sent to it until it is enabled again.`),
        target: 'endpoints',
      };
    }
    case 'delivery': {
      const d = event.delivery;
      // Live traffic only: a replay or an import the user started is not news.
      if (d.outcome !== 'rejected' || (d.verdict !== 'invalid' && d.verdict !== 'missing')) return null;
      if (d.source !== 'direct' && d.source !== 'tunnel') return null;
      const what = d.event ? `A ${d.event} delivery` : 'A delivery';
      return {
        kind: 'signature-rejected',
        title: d.verdict === 'missing' ? 'Unsigned delivery rejected' : 'Signature rejected',
        body: plainText(`${what} (#${d.id}) was refused: ${d.outcomeReason ?? `signature ${d.verdict}`}`),
        target: 'deliveries',
      };
    }
    case 'tunnel_gap': {
      const g = event.gap;
      const ms = g.to - g.from;
      if (ms <= TUNNEL_GAP_NOTICE_MS) return null;
      const minutes = ms < 7_200_000 ? `${Math.round(ms / 60_000)} min` : `${(ms / 3_600_000).toFixed(1)} h`;
      const at = (t: number) => new Date(t).toISOString().slice(11, 19);
      const who = g.hooks.length ? `Could have lost deliveries: ${g.hooks.map((h) => h.packageName).join(', ')}.` : '';
      const todo = g.hooks.some((h) => h.managed) ? 'Open the Tunnel page to catch up.' : g.hooks.length ? 'Redeliver them at the provider (see the Tunnel page).' : '';
      return {
        kind: 'tunnel-gap',
        title: 'Tunnel gap: deliveries may be lost',
        body: plainText(`No stream of the smee channel was read for ${minutes} (${at(g.from)}–${at(g.to)} UTC). ${who} ${todo}`),
        target: 'tunnel',
      };
    }
    default:
      return null;
  }
}

const SUMMARY: Record<NoticeKind, (n: number) => string> = {
  'attempt-failed': (n) => `${n} delivery attempts failed`,
  'endpoint-disabled': (n) => `${n} endpoints disabled`,
  'signature-rejected': (n) => `${n} deliveries rejected for their signature`,
  'tunnel-gap': (n) => `${n} tunnel gaps: deliveries may be lost`,
};

/** One notice standing for `count` of the same kind. */
export function summarize(latest: Notice, count: number): Notice {
  if (count <= 1) return latest;
  return { ...latest, title: SUMMARY[latest.kind](count), body: plainText(`Latest: ${latest.body}`) };
}

export interface ThrottleOptions {
  intervalMs?: number;
  now?: () => number;
  /** Runs `fn` after `ms`; returns a cancel function. */
  schedule?: (fn: () => void, ms: number) => () => void;
  show: (notice: Notice) => void;
}

interface Lane {
  lastShownAt: number;
  pending: number;
  latest: Notice | null;
  cancel: (() => void) | null;
}

const defaultSchedule = (fn: () => void, ms: number) => {
  const t = setTimeout(fn, ms);
  t.unref?.();
  return () => clearTimeout(t);
};

/**
 * At most one notification per kind per interval. The first of a kind shows at once;
 * the rest until the interval ends are counted and shown then as one summary
 * ("7 delivery attempts failed", with the latest one's text).
 */
export class NoticeThrottle {
  private readonly lanes = new Map<NoticeKind, Lane>();
  private readonly intervalMs: number;
  private readonly now: () => number;
  private readonly schedule: (fn: () => void, ms: number) => () => void;
  private disposed = false;

  constructor(private readonly options: ThrottleOptions) {
    this.intervalMs = options.intervalMs ?? NOTICE_INTERVAL_MS;
    this.now = options.now ?? Date.now;
    this.schedule = options.schedule ?? defaultSchedule;
  }

  offer(notice: Notice): void {
    if (this.disposed) return;
    const at = this.now();
    const lane = this.lanes.get(notice.kind);
    if (!lane || (lane.cancel === null && at - lane.lastShownAt >= this.intervalMs)) {
      this.lanes.set(notice.kind, { lastShownAt: at, pending: 0, latest: null, cancel: null });
      this.options.show(notice);
      return;
    }
    lane.pending++;
    lane.latest = notice;
    if (lane.cancel) return;
    const wait = Math.max(0, lane.lastShownAt + this.intervalMs - at);
    lane.cancel = this.schedule(() => this.release(notice.kind), wait);
  }

  private release(kind: NoticeKind): void {
    const lane = this.lanes.get(kind);
    if (!lane || this.disposed) return;
    lane.cancel = null;
    if (!lane.latest || lane.pending === 0) return;
    const notice = summarize(lane.latest, lane.pending);
    lane.pending = 0;
    lane.latest = null;
    lane.lastShownAt = this.now();
    this.options.show(notice);
  }

  dispose(): void {
    this.disposed = true;
    for (const lane of this.lanes.values()) lane.cancel?.();
    this.lanes.clear();
  }
}
