import { describe, expect, it } from 'vitest';
import type { PushEvent } from '../../src/shared/contract';
import type { AttemptView, DeliverySummary, EndpointSummary } from '../../src/shared/types';
import { noticeFor, NoticeThrottle, plainText, summarize, type Notice } from '../../src/main/shell/notify-policy';
import { healthOf } from '../../src/main/shell/tray-status';

const attempt = (over: Partial<AttemptView> = {}): AttemptView => ({
  id: 1,
  messageRowId: 1,
  messageId: 'msg_1',
  event: 'release.published',
  endpointId: 'ep_1',
  attemptNo: 2,
  trigger: 'scheduled',
  startedAt: 0,
  url: 'https://hooks.example.com/in?token=SECRET',
  requestHeaders: [],
  status: 500,
  responseHeaders: [],
  responseBody: '',
  responseTruncated: false,
  durationMs: 12,
  error: null,
  succeeded: false,
  ...over,
});

const endpoint = (over: Partial<EndpointSummary> = {}): EndpointSummary =>
  ({ id: 'ep_1', name: 'billing', url: 'https://x.test', dialect: 'standard-webhooks', events: ['release.published'], active: true, disabledReason: null, consecutiveFailures: 0, ...over }) as EndpointSummary;

const delivery = (over: Partial<DeliverySummary> = {}): DeliverySummary => ({
  id: 7,
  packageId: 'pkg_1',
  receivedAt: 0,
  source: 'direct',
  event: 'push',
  providerDeliveryId: 'd-1',
  verdict: 'invalid',
  statusCode: 403,
  outcome: 'rejected',
  outcomeReason: 'Signature invalid: computed with a different secret.',
  tag: null,
  bodySize: 10,
  ...over,
});

const names = (id: string) => (id === 'ep_1' ? 'billing' : undefined);

describe('which events notify', () => {
  it('a failed attempt, named by its endpoint, or by host only (never the path or query)', () => {
    const n = noticeFor({ type: 'attempt', attempt: attempt() }, undefined, names);
    expect(n).toMatchObject({ kind: 'attempt-failed', target: 'endpoints', body: 'billing: answered HTTP 500 (attempt 2).' });
    const unnamed = noticeFor({ type: 'attempt', attempt: attempt({ endpointId: 'ep_9', status: null, error: 'ECONNREFUSED' }) }, undefined, names);
    expect(unnamed!.body).toBe('hooks.example.com: ECONNREFUSED (attempt 2).');
    expect(unnamed!.body).not.toContain('SECRET');
    expect(noticeFor({ type: 'attempt', attempt: attempt({ succeeded: true, status: 200 }) }, undefined, names)).toBeNull();
  });

  it('an endpoint the dispatcher just disabled, not one a person switched off while healthy', () => {
    const before = healthOf(endpoint());
    const disabled: PushEvent = { type: 'endpoint', endpoint: endpoint({ active: false, consecutiveFailures: 1, disabledReason: 'The endpoint answered 410 Gone.' }) };
    expect(noticeFor(disabled, before, names)).toMatchObject({ kind: 'endpoint-disabled', title: 'Endpoint disabled' });
    expect(noticeFor(disabled, before, names)!.body).toContain('410 Gone');
    // Already disabled before: no news.
    expect(noticeFor(disabled, { ...before, active: false }, names)).toBeNull();
    // Never seen before: cannot tell it changed.
    expect(noticeFor(disabled, undefined, names)).toBeNull();
    // Disabled by hand while healthy.
    expect(noticeFor({ type: 'endpoint', endpoint: endpoint({ active: false, disabledReason: 'Disabled by the user.' }) }, before, names)).toBeNull();
    // Still active, just failing.
    expect(noticeFor({ type: 'endpoint', endpoint: endpoint({ consecutiveFailures: 3 }) }, before, names)).toBeNull();
  });

  it('a live delivery refused for its signature; not replays, imports, or other rejections', () => {
    expect(noticeFor({ type: 'delivery', delivery: delivery() }, undefined, names)).toMatchObject({ kind: 'signature-rejected', title: 'Signature rejected', target: 'deliveries' });
    expect(noticeFor({ type: 'delivery', delivery: delivery({ source: 'tunnel', verdict: 'missing' }) }, undefined, names)!.title).toBe('Unsigned delivery rejected');
    expect(noticeFor({ type: 'delivery', delivery: delivery({ source: 'replay' }) }, undefined, names)).toBeNull();
    expect(noticeFor({ type: 'delivery', delivery: delivery({ source: 'import' }) }, undefined, names)).toBeNull();
    expect(noticeFor({ type: 'delivery', delivery: delivery({ verdict: 'valid', outcomeReason: 'no repository id' }) }, undefined, names)).toBeNull();
    expect(noticeFor({ type: 'delivery', delivery: delivery({ verdict: 'valid', outcome: 'ingested' }) }, undefined, names)).toBeNull();
  });

  it('a tunnel gap longer than a minute, saying who could have lost deliveries and what to do; shorter gaps stay in the feed', () => {
    const hook = { packageId: 'pkg_1', packageName: 'widgets', provider: 'github' as const, repo: 'octo/widgets', hookId: 'hk_1', managed: false, advice: '' };
    const gap = (ms: number, managed = false): PushEvent => ({
      type: 'tunnel_gap',
      gap: { from: Date.UTC(2026, 0, 1, 10, 0, 0), to: Date.UTC(2026, 0, 1, 10, 0, 0) + ms, cause: 'dropped', hooks: [{ ...hook, managed }], caughtUpAt: null },
    });
    expect(noticeFor(gap(59_000), undefined, names)).toBeNull();
    const n = noticeFor(gap(3 * 60_000), undefined, names);
    expect(n).toMatchObject({ kind: 'tunnel-gap', title: 'Tunnel gap: deliveries may be lost', target: 'tunnel' });
    expect(n!.body).toBe('No stream of the smee channel was read for 3 min (10:00:00–10:03:00 UTC). Could have lost deliveries: widgets. Redeliver them at the provider (see the Tunnel page).');
    expect(noticeFor(gap(3 * 60_000, true), undefined, names)!.body).toMatch(/Open the Tunnel page to catch up\.$/);
  });

  it('ignores everything else', () => {
    for (const event of [{ type: 'packages' }, { type: 'endpoints' }, { type: 'progress', task: 't', done: 1, total: 2 }] as PushEvent[]) {
      expect(noticeFor(event, undefined, names)).toBeNull();
    }
  });
});

describe('hostile text in a notification', () => {
  it('cannot carry markup, control or bidi characters, and is capped', () => {
    const n = noticeFor({ type: 'delivery', delivery: delivery({ event: '<img src=https://evil.test/x onerror=alert(1)>\u202Egnp.exe\u0007' }) }, undefined, names)!;
    expect(n.body).not.toMatch(/[<>\u202E\u0007]/);
    expect(n.body).toContain('‹img src=https://evil.test/x onerror=alert(1)›');
    expect(plainText('a & b\n\tc')).toBe('a ＆ b c');
    expect([...plainText('x'.repeat(1000))].length).toBe(180);
    expect(plainText('x'.repeat(1000)).endsWith('…')).toBe(true);
  });
});

describe('rate limit: one per kind per 30 s, then a summary', () => {
  function harness() {
    let now = 0;
    const timers: { at: number; fn: () => void; live: boolean }[] = [];
    const shown: Notice[] = [];
    const throttle = new NoticeThrottle({
      now: () => now,
      schedule: (fn, ms) => {
        const t = { at: now + ms, fn, live: true };
        timers.push(t);
        return () => void (t.live = false);
      },
      show: (n) => shown.push(n),
    });
    const advance = (ms: number) => {
      now += ms;
      for (const t of timers.filter((t) => t.live && t.at <= now)) {
        t.live = false;
        t.fn();
      }
    };
    return { throttle, shown, advance, pendingTimers: () => timers.filter((t) => t.live).length };
  }
  const failed = (i: number): Notice => ({ kind: 'attempt-failed', title: 'Delivery attempt failed', body: `#${i}`, target: 'endpoints' });
  const rejected: Notice = { kind: 'signature-rejected', title: 'Signature rejected', body: 'x', target: 'deliveries' };

  it('shows the first at once and folds a burst into one summary when the interval ends', () => {
    const { throttle, shown, advance } = harness();
    throttle.offer(failed(1));
    expect(shown.map((n) => n.body)).toEqual(['#1']);
    for (let i = 2; i <= 8; i++) {
      advance(1000);
      throttle.offer(failed(i));
    }
    expect(shown).toHaveLength(1);
    advance(22_999);
    expect(shown).toHaveLength(1);
    advance(1);
    expect(shown[1]).toMatchObject({ title: '7 delivery attempts failed', body: 'Latest: #8' });
  });

  it('keeps kinds apart', () => {
    const { throttle, shown } = harness();
    throttle.offer(failed(1));
    throttle.offer(rejected);
    throttle.offer(failed(2));
    expect(shown.map((n) => n.kind)).toEqual(['attempt-failed', 'signature-rejected']);
  });

  it('a single straggler is shown as itself, and the next interval starts from it', () => {
    const { throttle, shown, advance } = harness();
    throttle.offer(failed(1));
    advance(10_000);
    throttle.offer(failed(2));
    advance(20_000);
    expect(shown.map((n) => n.body)).toEqual(['#1', '#2']);
    advance(5_000);
    throttle.offer(failed(3)); // 5 s after #2 was shown: waits
    expect(shown).toHaveLength(2);
    advance(25_000);
    expect(shown.map((n) => n.body)).toEqual(['#1', '#2', '#3']);
    advance(30_000);
    throttle.offer(failed(4)); // a quiet interval later: at once
    expect(shown.map((n) => n.body)).toEqual(['#1', '#2', '#3', '#4']);
  });

  it('never shows more than one per kind in any 30 s', () => {
    const { throttle, shown, advance } = harness();
    const times: number[] = [];
    let t = 0;
    const record = () => {
      while (times.length < shown.length) times.push(t);
    };
    for (let i = 0; i < 500; i++) {
      throttle.offer(failed(i));
      record();
      advance(337);
      t += 337;
      record();
    }
    for (let i = 1; i < times.length; i++) expect(times[i]! - times[i - 1]!).toBeGreaterThanOrEqual(30_000 - 337);
    expect(shown.length).toBeGreaterThan(4);
  });

  it('shows nothing after dispose', () => {
    const { throttle, shown, advance, pendingTimers } = harness();
    throttle.offer(failed(1));
    throttle.offer(failed(2));
    throttle.dispose();
    expect(pendingTimers()).toBe(0);
    advance(60_000);
    throttle.offer(failed(3));
    expect(shown).toHaveLength(1);
  });

  it('summaries read naturally per kind', () => {
    expect(summarize(rejected, 3).title).toBe('3 deliveries rejected for their signature');
    expect(summarize({ ...rejected, kind: 'endpoint-disabled' }, 2).title).toBe('2 endpoints disabled');
    expect(summarize(rejected, 1)).toBe(rejected);
  });
});
