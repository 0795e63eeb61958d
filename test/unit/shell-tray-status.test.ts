import { describe, expect, it } from 'vitest';
import type { EndpointSecret, EndpointSummary, TunnelStatus } from '../../src/shared/types';
import type { Notice } from '../../src/main/shell/notify-policy';
import { createShellFeed } from '../../src/main/shell/shell-feed';
import { StatusTracker, trayLevel, trayMenuModel, trayTooltip, tunnelView, type ShellStatus } from '../../src/main/shell/tray-status';
import { startEngine } from '../helpers/engine';
import { startSink } from '../helpers/sink';

const endpoint = (id: string, over: Partial<EndpointSummary> = {}): EndpointSummary =>
  ({ id, name: id, url: 'https://x.test', active: true, disabledReason: null, consecutiveFailures: 0, ...over }) as EndpointSummary;
const tunnel = (over: Partial<TunnelStatus> = {}): TunnelStatus =>
  ({ state: 'connected', channelUrl: 'https://smee.io/abc', enabled: true, lastError: null, ...over }) as TunnelStatus;

describe('tray status from push events', () => {
  it('counts disabled and consecutively failing endpoints', () => {
    const t = new StatusTracker();
    t.setEndpoints([endpoint('a'), endpoint('b', { consecutiveFailures: 2 }), endpoint('c', { active: false })]);
    expect(t.status().failing.map((e) => e.id)).toEqual(['b', 'c']);
    expect(t.apply({ type: 'endpoint', endpoint: endpoint('b') })).toMatchObject({ changed: true, previous: { id: 'b', consecutiveFailures: 2 } });
    expect(t.apply({ type: 'endpoint', endpoint: endpoint('a', { consecutiveFailures: 0 }) }).changed).toBe(false);
    expect(t.status().failing.map((e) => e.id)).toEqual(['c']);
    expect(t.apply({ type: 'endpoints' })).toEqual({ changed: false, reloadEndpoints: true });
  });

  it('follows the tunnel', () => {
    expect(tunnelView(null)).toBe('none');
    expect(tunnelView(tunnel({ channelUrl: null }))).toBe('none');
    expect(tunnelView(tunnel({ enabled: false }))).toBe('off');
    expect(tunnelView(tunnel({ state: 'reconnecting' }))).toBe('reconnecting');
    const t = new StatusTracker();
    expect(t.apply({ type: 'tunnel', status: tunnel() }).changed).toBe(true);
    expect(t.apply({ type: 'tunnel', status: tunnel() }).changed).toBe(false);
    expect(t.apply({ type: 'tunnel', status: tunnel({ state: 'stalled', lastError: 'no ping for 90 s' }) }).changed).toBe(true);
    expect(t.status()).toMatchObject({ tunnel: 'stalled', tunnelError: 'no ping for 90 s' });
  });

  it('shows level, tooltip and menu', () => {
    const healthy: ShellStatus = { tunnel: 'connected', tunnelError: null, failing: [], endpoints: 2 };
    expect(trayLevel(healthy)).toBe('ok');
    expect(trayLevel({ ...healthy, tunnel: 'none' })).toBe('idle');
    expect(trayLevel({ ...healthy, tunnel: 'stalled' })).toBe('alert');
    expect(trayTooltip(healthy)).toBe('Hookbench — tunnel connected · all endpoints healthy');

    const failing = [1, 2, 3, 4, 5, 6, 7].map((i) => ({ id: `e${i}`, name: `ep ${i}`, active: i !== 1, consecutiveFailures: i, disabledReason: null }));
    const bad: ShellStatus = { tunnel: 'off', tunnelError: null, failing, endpoints: 9 };
    expect(trayLevel(bad)).toBe('alert');
    expect(trayTooltip(bad)).toBe('Hookbench — tunnel off · 7 endpoints failing');
    const menu = trayMenuModel(bad);
    const labels = menu.map((i) => (i.type === 'item' ? i.label : '—'));
    expect(labels).toEqual([
      'Tunnel off',
      '7 endpoints failing',
      '  ep 1 — disabled',
      '  ep 2 — 2 failed in a row',
      '  ep 3 — 3 failed in a row',
      '  ep 4 — 4 failed in a row',
      '  ep 5 — 5 failed in a row',
      '  and 2 more',
      '—',
      'Show Hookbench',
      'Open Endpoints',
      'Connect Tunnel',
      '—',
      'Quit Hookbench',
    ]);
    expect(menu.filter((i) => i.type === 'item' && i.action).map((i) => i.type === 'item' && i.action)).toEqual(['show', 'endpoints', 'tunnel-connect', 'quit']);
    expect(trayMenuModel(healthy).some((i) => i.type === 'item' && i.action === 'tunnel-disconnect')).toBe(true);
    expect(trayMenuModel({ ...healthy, tunnel: 'none', endpoints: 0 }).filter((i) => i.type === 'item' && i.action).length).toBe(2);
  });
});

describe('shell feed over a real engine', () => {
  it('reports the starting state, then a failing endpoint, a notice for the failed attempt and one when it is disabled', async () => {
    const { engine } = await startEngine();
    const sink = await startSink(() => ({ status: 410, body: 'gone' }));
    const statuses: ShellStatus[] = [];
    const notices: Notice[] = [];
    const waiters: (() => void)[] = [];
    const wake = () => waiters.splice(0).forEach((w) => w());
    const until = async (cond: () => boolean) => {
      while (!cond()) await new Promise<void>((r) => waiters.push(r));
    };
    const feed = createShellFeed({
      invoke: engine.invoke,
      subscribe: (l) => engine.bus.subscribe(l),
      onStatus: (s) => (statuses.push(s), wake()),
      onNotice: (n) => (notices.push(n), wake()),
      reloadDelayMs: 0,
    });
    try {
      await feed.ready;
      expect(statuses.at(-1)).toEqual({ tunnel: 'none', tunnelError: null, failing: [], endpoints: 0 });

      const ep = (await engine.invoke('endpoints.add', { name: 'gone-service', url: sink.url, dialect: 'sigmagit', events: ['push'], retryDelays: [0, 0] })) as EndpointSecret;
      await until(() => statuses.at(-1)?.endpoints === 1);

      await engine.invoke('endpoints.trigger', { id: ep.id, event: 'push' });
      await until(() => notices.some((n) => n.kind === 'endpoint-disabled'));
      expect(notices.map((n) => n.kind)).toEqual(['attempt-failed', 'endpoint-disabled']);
      expect(notices[0]!.body).toBe('gone-service: answered HTTP 410 (attempt 1).');
      expect(notices[1]!.body).toContain('410 Gone');
      await until(() => statuses.at(-1)?.failing.length === 1);
      expect(statuses.at(-1)!.failing[0]).toMatchObject({ name: 'gone-service', active: false });

      await engine.invoke('endpoints.enable', { id: ep.id });
      await until(() => statuses.at(-1)?.failing.length === 0);

      await engine.invoke('endpoints.remove', { id: ep.id });
      await until(() => statuses.at(-1)?.endpoints === 0);
    } finally {
      feed.stop();
    }
  });
});
