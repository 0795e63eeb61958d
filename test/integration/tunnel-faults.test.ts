/**
 * The tunnel against smee's faults, beside a real smee-client on the same channel at the
 * same moment: smee down for a while, smee paused (SIGSTOP-like), and the stream cut in
 * the middle of a burst. smee keeps nothing for a channel no one listens to, so what
 * either client misses is lost; Hookbench must lose no more than smee-client, and store
 * nothing twice.
 */
import { randomUUID } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import { SmeeClient } from 'smee-client';
import { describe, expect, it, onTestFinished, vi } from 'vitest';
import type { PushEvent } from '../../src/shared/contract';
import type { ActivityEntry, DeliverySummary, TunnelCreated, TunnelState, TunnelStatus } from '../../src/shared/types';
import { addPackage } from '../helpers/engine';
import { ENGINE_KINDS, engineSites, type EngineKind, type SiteEngine } from '../helpers/engine-sites';
import { startFakeSmee, type FakeSmee } from '../helpers/fake-smee';
import { githubHeaders, githubTagPush } from '../helpers/payloads';
import { startSink } from '../helpers/sink';

type TunnelEvent = Extract<PushEvent, { type: 'tunnel' }>;
const RATE_PER_S = 50;
const QUIET = { info: () => undefined, error: () => undefined };

const startSite = engineSites();

const tunnelState = (engine: SiteEngine, state: TunnelState, timeoutMs = 15_000) =>
  engine.bus.waitFor((e): e is TunnelEvent => e.type === 'tunnel' && e.status.state === state, timeoutMs).then((e) => e.status);
/** Resolves once the tunnel has reconnected `count` times since it started. */
const reconnects = (engine: SiteEngine, count: number, timeoutMs = 20_000) =>
  engine.bus.waitFor((e): e is TunnelEvent => e.type === 'tunnel' && e.status.state === 'connected' && e.status.reconnects >= count, timeoutMs).then((e) => e.status);

async function setup(kind: EngineKind) {
  // Pings every 100 ms; the tunnel calls a stream stalled after 500 ms without one. Reconnect policy: the default.
  const smee = await startFakeSmee({ pingIntervalMs: 100 });
  const { engine } = await startSite(kind, { tunnel: { watchMs: 100, stallMs: 500 } });
  const connected = tunnelState(engine, 'connected');
  const created = (await engine.invoke('tunnel.create', { server: smee.url })) as TunnelCreated;
  await connected;
  const added = await addPackage(engine, 'github', 4242);
  // Sent through the channel for the hook: a data dir's hook URL, while a team server's stays on its own address.
  const pkg = { ...added, hookUrl: `${created.hookUrlBase}/hooks/${added.hookUrl.split('/hooks/')[1]!}` };

  // smee-client as its README runs it, forwarding to a local target; what it takes from the stream is counted.
  const sink = await startSink();
  const client = new SmeeClient({ source: created.channelUrl, target: `${sink.url}/hook`, logger: QUIET });
  const smeeClientGot: string[] = [];
  client.onmessage = (message: MessageEvent) => {
    smeeClientGot.push(String((JSON.parse(String(message.data)) as Record<string, unknown>)['x-github-delivery']));
  };
  await client.start();
  onTestFinished(() => client.stop());
  await smee.waitForStreams(2, created.channelUrl.split('/').pop());
  return { smee, engine, pkg, smeeClientGot };
}

/** Signed tag pushes to the hook's smee URL at a steady rate for `ms`; those smee refuses (it is down) are simply not relayed. */
async function sendFor(smee: FakeSmee, hookUrl: string, secret: string, ms: number, seq: { n: number }): Promise<void> {
  const posts: Promise<unknown>[] = [];
  const until = Date.now() + ms;
  while (Date.now() < until) {
    const body = JSON.stringify(githubTagPush(4242, `v1.${seq.n++}.0`));
    posts.push(
      githubHeaders('push', body, secret, randomUUID())
        .then((headers) => smee.post(hookUrl, body, headers))
        .catch(() => null),
    );
    // The load's own pace, not a wait for something to happen.
    await delay(1000 / RATE_PER_S);
  }
  await Promise.all(posts);
}

async function countsOf(smee: FakeSmee, engine: SiteEngine, smeeClientGot: string[]) {
  const relayed = smee.relayed.map((r) => String(r.data['x-github-delivery']));
  const tunnelled = (await engine.invoke('deliveries.list', { source: 'tunnel', limit: 10_000 })) as DeliverySummary[];
  const copies = new Map<string, number>();
  for (const { providerDeliveryId } of tunnelled) copies.set(String(providerDeliveryId), (copies.get(String(providerDeliveryId)) ?? 0) + 1);
  const stored = [...copies].map(([id, n]) => ({ id, n }));
  const hookbench = new Set(stored.map((r) => r.id));
  const client = new Set(smeeClientGot);
  return {
    relayed: relayed.length,
    hookbench: { delivered: hookbench.size, lost: relayed.filter((id) => !hookbench.has(id)).length, duplicated: stored.filter((r) => r.n > 1).length },
    smeeClient: { delivered: client.size, lost: relayed.filter((id) => !client.has(id)).length, duplicated: smeeClientGot.length - client.size },
  };
}

/** Waits until Hookbench has lost no more than smee-client (both settle within seconds once smee is back), then checks nothing was stored twice. */
async function compare(name: string, ctx: Awaited<ReturnType<typeof setup>>) {
  const { smee, engine, smeeClientGot } = ctx;
  let counts = await countsOf(smee, engine, smeeClientGot);
  await vi.waitFor(
    async () => {
      await engine.tunnel.drained();
      counts = await countsOf(smee, engine, smeeClientGot);
      expect(counts.hookbench.lost).toBeLessThanOrEqual(counts.smeeClient.lost);
      expect(counts.hookbench.delivered + counts.hookbench.lost).toBe(counts.relayed);
    },
    { timeout: 15_000, interval: 100 },
  );
  expect(counts.hookbench.duplicated).toBe(0);
  const repeats = (await engine.invoke('deliveries.count', { outcome: 'duplicate' })) as { count: number };
  expect(repeats.count).toBe(0);
  console.info(`${name}: relayed ${counts.relayed}; Hookbench ${JSON.stringify(counts.hookbench)}; smee-client ${JSON.stringify(counts.smeeClient)}`);
  return counts;
}

const lastGap = async (engine: SiteEngine) => ((await engine.invoke('tunnel.status', {})) as TunnelStatus).gaps[0];

describe.each(ENGINE_KINDS)('%s store', (kind) => {
  describe('tunnel faults, beside smee-client on the same channel', () => {
    it('smee down for 3.5 s, then back: reconnects at once when it listens again', { timeout: 60_000 }, async () => {
      const ctx = await setup(kind);
      const { smee, engine, pkg } = ctx;
      const seq = { n: 0 };
      const sending = sendFor(smee, pkg.hookUrl, pkg.secret, 7_000, seq);
      await delay(1_000);
      const reconnected = reconnects(engine, 1);
      await smee.refuseFor(3_500);
      await reconnected;
      await sending;
      const counts = await compare('smee down 3.5 s', ctx);
      // smee-client tries every 3 s, so it stays away until 6 s after the drop; Hookbench tries again within a second of smee's return.
      expect(counts.hookbench.lost).toBeLessThan(counts.smeeClient.lost);

      const gap = await lastGap(engine);
      expect(gap).toMatchObject({ cause: 'dropped', caughtUpAt: null });
      expect(gap!.to - gap!.from).toBeGreaterThanOrEqual(3_500);
      expect(gap!.hooks).toEqual([expect.objectContaining({ packageId: pkg.id, managed: false, advice: expect.stringMatching(/Recent Deliveries: redeliver those sent between/) })]);
      const feed = (await engine.invoke('activity.list', { limit: 500 })) as ActivityEntry[];
      expect(feed.find((a) => a.kind === 'tunnel_gap')?.message).toMatch(/^Tunnel gap of \d+\.\d s \(the stream dropped\): from .* to .* no stream was read/);
    });

    it('smee paused for 2 s: the silent stream stays open until a new one is up, and what smee held arrives once', { timeout: 60_000 }, async () => {
      const ctx = await setup(kind);
      const { smee, engine, pkg } = ctx;
      const seq = { n: 0 };
      const sending = sendFor(smee, pkg.hookUrl, pkg.secret, 5_000, seq);
      await delay(1_000);
      const stalled = tunnelState(engine, 'stalled');
      const reconnected = reconnects(engine, 1);
      const pause = smee.pauseFor(2_000);
      await stalled;
      await pause;
      await reconnected;
      await sending;
      const counts = await compare('smee paused 2 s', ctx);
      expect(counts.hookbench.lost).toBe(0);
      expect((await lastGap(engine))?.cause).toBe('stalled');
    });

    it('the stream cut in the middle of a burst: reopened at once', { timeout: 60_000 }, async () => {
      const ctx = await setup(kind);
      const { smee, engine, pkg } = ctx;
      const seq = { n: 0 };
      const sending = sendFor(smee, pkg.hookUrl, pkg.secret, 5_000, seq);
      await delay(1_000);
      const reconnected = reconnects(engine, 1);
      const dropped = tunnelState(engine, 'reconnecting');
      expect(smee.dropConnections()).toBe(2);
      const retrying = await dropped;
      // The first retry is due at once.
      expect(retrying.nextRetryAt).toBeLessThanOrEqual(retrying.updatedAt);
      await reconnected;
      await sending;
      const counts = await compare('stream dropped mid-burst', ctx);
      expect(counts.smeeClient.lost).toBeGreaterThan(counts.hookbench.lost);
    });

    it('a long outage, then a blip right after the reconnect: the backoff has reset and stays short', { timeout: 60_000 }, async () => {
      const ctx = await setup(kind);
      const { smee, engine, pkg } = ctx;
      const seq = { n: 0 };
      const sending = sendFor(smee, pkg.hookUrl, pkg.secret, 11_000, seq);
      await delay(500);
      const first = reconnects(engine, 1);
      await smee.refuseFor(4_000);
      await first;
      await delay(1_200);
      const second = reconnects(engine, 2);
      await smee.refuseFor(1_000);
      const after = await second;
      await sending;
      await compare('outage 4 s, then a 1 s blip', ctx);
      expect(after.reconnects).toBe(2);
    });
  });
});
