import { randomUUID } from 'node:crypto';
import { sign } from '@octokit/webhooks-methods';
import { SmeeClient } from 'smee-client';
import { describe, expect, it, vi } from 'vitest';
import type { PushEvent } from '../../src/shared/contract';
import type { ActivityEntry, DeliveryDetail, DeliverySummary, PackageCreated, Release, TunnelCreated, TunnelState, TunnelStatus } from '../../src/shared/types';
import type { TunnelOptions } from '../../src/main/engine/tunnel';
import { COMPACT } from '../../src/main/engine/tunnel/reconstruct';
import { RECONSTRUCTION_HEADER } from '../../src/main/engine/tunnel/deliver';
import { explainSmeeRefusal } from '../../src/main/engine/tunnel/limits';
import { addPackage } from '../helpers/engine';
import { ENGINE_KINDS, engineSites, type EngineKind, type SiteEngine } from '../helpers/engine-sites';
import { startFakeSmee, type FakeSmeeOptions } from '../helpers/fake-smee';
import { githubExample, githubHeaders, githubTagPush, gitlabHeaders, gitlabTagPush } from '../helpers/payloads';

type TunnelEvent = Extract<PushEvent, { type: 'tunnel' }>;
type DeliveryEvent = Extract<PushEvent, { type: 'delivery' }>;
type ReleaseEvent = Extract<PushEvent, { type: 'release' }>;

const startSite = engineSites();

/** Resolves on the next status push in this state (and matching `also`); register it before acting. */
const tunnelState = (engine: SiteEngine, state: TunnelState, also: (status: TunnelStatus) => boolean = () => true, timeoutMs = 10_000) =>
  engine.bus.waitFor((e): e is TunnelEvent => e.type === 'tunnel' && e.status.state === state && also(e.status), timeoutMs).then((e) => e.status);
/**
 * The push saying the tunnel is connected again. Status pushes on pings say "connected" too, and
 * on a team server one may still be on its way (it reads the settings first) when the stream drops.
 */
const reconnectedPush = (engine: SiteEngine) => tunnelState(engine, 'connected', (status) => status.reconnects > 0);
const nextDelivery = (engine: SiteEngine) => engine.bus.waitFor((e): e is DeliveryEvent => e.type === 'delivery').then((e) => e.delivery);
const nextRelease = (engine: SiteEngine) => engine.bus.waitFor((e): e is ReleaseEvent => e.type === 'release').then((e) => e.release);
const hookIdOf = (pkg: PackageCreated) => pkg.hookUrl.split('/hooks/')[1]!;

/**
 * A running engine with a tunnel connected to a fake smee: the desktop's on a data dir, or a team
 * server instance (which holds the tunnel role, being the only one).
 */
async function setup(kind: EngineKind, tunnel: TunnelOptions = {}, fake: FakeSmeeOptions = {}) {
  const smee = await startFakeSmee({ pingIntervalMs: 50, ...fake });
  const { engine, receiverUrl } = await startSite(kind, { tunnel: { backoffInitialMs: 20, backoffMaxMs: 200, watchMs: 100, stallMs: 5_000, ...tunnel } });
  const connected = tunnelState(engine, 'connected');
  const created = (await engine.invoke('tunnel.create', { server: smee.url })) as TunnelCreated;
  await connected;
  await smee.waitForStreams(1);
  const call = <T>(method: string, params: unknown = {}) => engine.invoke(method, params) as Promise<T>;
  /**
   * A package whose hookUrl is where its provider sends through the channel. A data dir's hook URLs
   * point at the tunnel; a team server's stay on its own address (providers reach it), while its
   * tunnel takes what is sent to the channel for the hook.
   */
  const tunnelPackage = async (provider: 'github' | 'gitlab', repoId: number, base = created.hookUrlBase): Promise<PackageCreated> => {
    const pkg = await addPackage(engine, provider, repoId);
    const throughChannel = `${base}/hooks/${hookIdOf(pkg)}`;
    expect(pkg.hookUrl).toBe(kind === 'sqlite' ? throughChannel : `${receiverUrl}/hooks/${hookIdOf(pkg)}`);
    return { ...pkg, hookUrl: throughChannel };
  };
  return { smee, engine, receiverUrl, created, call, tunnelPackage };
}

const detail = (engine: SiteEngine, id: number) => engine.invoke('deliveries.get', { id }) as Promise<DeliveryDetail>;
const header = (d: DeliveryDetail, name: string) => d.headers.find(([k]) => k.toLowerCase() === name)?.[1];
const bodyOf = (d: DeliveryDetail) => Buffer.from(d.bodyBase64, 'base64');

/** How GitHub's serializer writes JSON: <, > and & escaped for HTML (and here, non-ASCII as \uXXXX). */
const githubStyle = (json: string, ascii = false) => {
  const html = json.replace(/[<>&]/g, (c) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0'));
  return ascii ? html.replace(/[\u0080-\uffff]/g, (c) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0')) : html;
};

describe.each(ENGINE_KINDS)('%s store', (kind) => {
  describe('tunnel (smee)', () => {
    it('creates a channel on the smee server, points hook URLs at it, connects, and shows it in the status and the feed', async () => {
      const { smee, created, call, tunnelPackage } = await setup(kind);
      expect(created.channelUrl).toMatch(new RegExp(`^${smee.url}/[A-Za-z0-9_-]{16}$`));
      expect(created.hookUrlBase).toBe(`${created.channelUrl}?path=`);
      // A team server's own address counts as configured: its hook URLs stay there (see tunnelPackage).
      expect(created.hookUrlsViaTunnel).toBe(kind === 'sqlite');
      expect(created.notes.join('\n')).toMatch(/Form-encoded hooks do not pass through smee/);
      // smee-client's own channel creation agrees with the fake's /new.
      expect(await SmeeClient.createChannel({ newChannelUrl: `${smee.url}/new` })).toMatch(new RegExp(`^${smee.url}/`));

      const pkg = await tunnelPackage('github', 4242);
      expect(pkg.hookUrl).toMatch(new RegExp(`^${created.channelUrl}\\?path=/hooks/hk_[A-Za-z0-9_-]+$`));
      const status = await call<TunnelStatus>('tunnel.status');
      expect(status).toMatchObject({ state: 'connected', channelUrl: created.channelUrl, server: smee.url, enabled: true, source: 'live', hookUrlsViaTunnel: kind === 'sqlite' });
      expect(status.connectedAt).toBeTypeOf('number');
      const feed = await call<ActivityEntry[]>('activity.list', { limit: 10 });
      expect(feed.map((a) => a.kind)).toEqual(expect.arrayContaining(['tunnel_created', 'tunnel_connected']));
    });

    it('takes a GitHub tag push from the channel into the receiver: stored via tunnel with the original headers, verified, ingested', async () => {
      const { smee, engine, call, tunnelPackage } = await setup(kind);
      const pkg = await tunnelPackage('github', 4242);
      const body = JSON.stringify(githubTagPush(4242, 'v1.4.2'));
      const delivery = randomUUID();
      const released = nextRelease(engine);
      const answer = await smee.post(pkg.hookUrl, body, await githubHeaders('push', body, pkg.secret, delivery));
      expect(answer.status).toBe(200);
      const release = await released;
      expect(release).toMatchObject({ tag: 'v1.4.2', version: '1.4.2', status: 'published' });

      const [stored] = await call<DeliverySummary[]>('deliveries.list', { limit: 1 });
      expect(stored).toMatchObject({ source: 'tunnel', verdict: 'valid', outcome: 'ingested', tag: 'v1.4.2', providerDeliveryId: delivery });
      const d = await detail(engine, stored!.id);
      expect(bodyOf(d).equals(Buffer.from(body))).toBe(true);
      expect(header(d, 'x-github-event')).toBe('push');
      expect(header(d, 'x-hub-signature-256')).toBe(await sign(pkg.secret, body));
      expect(header(d, RECONSTRUCTION_HEADER)).toBe(COMPACT);
      expect(d.remoteAddress).toBe(new URL(smee.url).host);
      expect(await call<Release[]>('releases.list', { packageId: pkg.id })).toHaveLength(1);
      const status = await call<TunnelStatus>('tunnel.status');
      expect(status.events).toBe(1);
      expect(status.lastEventAt).toBeTypeOf('number');
    });

    it('recovers real GitHub payloads whose bytes smee re-serialized, verifies them, and records which reconstruction matched', async () => {
      const { smee, engine, tunnelPackage } = await setup(kind);
      const pkg = await tunnelPackage('github', 4242);

      // A discussion ("Q&A") serialized the way GitHub does: & → \u0026.
      const discussion = githubExample('discussion', (p) => JSON.stringify(p).includes('&'));
      (discussion.repository as Record<string, unknown>).id = 4242;
      const raw = githubStyle(JSON.stringify(discussion));
      expect(raw).not.toBe(JSON.stringify(JSON.parse(raw)));
      let stored = nextDelivery(engine);
      expect((await smee.post(pkg.hookUrl, raw, await githubHeaders('discussion', raw, pkg.secret))).status).toBe(200);
      let d = await detail(engine, (await stored).id);
      expect(d).toMatchObject({ source: 'tunnel', verdict: 'valid', outcome: 'ignored' });
      expect(bodyOf(d).toString()).toBe(raw);
      expect(header(d, RECONSTRUCTION_HEADER)).toBe('compact JSON, escaped: <, >, & as \\uxxxx (GitHub, Go)');

      // A Dependabot alert with emoji and "<": escaped for HTML and to ASCII.
      const alert = githubExample('dependabot_alert', (p) => /[^\x00-\x7f]/.test(JSON.stringify(p)) && /[<>&]/.test(JSON.stringify(p)));
      (alert.repository as Record<string, unknown>).id = 4242;
      const ascii = githubStyle(JSON.stringify(alert), true);
      expect(ascii).not.toBe(JSON.stringify(JSON.parse(ascii)));
      stored = nextDelivery(engine);
      await smee.post(pkg.hookUrl, ascii, await githubHeaders('dependabot_alert', ascii, pkg.secret));
      d = await detail(engine, (await stored).id);
      expect(d.verdict).toBe('valid');
      expect(bodyOf(d).toString()).toBe(ascii);
      expect(header(d, RECONSTRUCTION_HEADER)).toBe('compact JSON, escaped: <, >, & and non-ASCII as \\uxxxx (GitHub)');

      // A pretty-printed tag push: recovered, verified and ingested.
      const pretty = JSON.stringify(githubTagPush(4242, 'v2.0.0'), null, 2);
      const released = nextRelease(engine);
      stored = nextDelivery(engine);
      await smee.post(pkg.hookUrl, pretty, await githubHeaders('push', pretty, pkg.secret));
      d = await detail(engine, (await stored).id);
      expect(d).toMatchObject({ verdict: 'valid', outcome: 'pending' });
      expect(bodyOf(d).toString()).toBe(pretty);
      expect(header(d, RECONSTRUCTION_HEADER)).toBe('JSON indented by 2 spaces');
      expect((await released).version).toBe('2.0.0');
    });

    it('says plainly that the tunnel changed the body when no reconstruction reproduces the signature', async () => {
      const { smee, engine, tunnelPackage } = await setup(kind);
      const pkg = await tunnelPackage('github', 4242);
      // A number written as 4.242e3: every parser reads 4242, nothing can write it back.
      const compact = JSON.stringify(githubTagPush(4242, 'v3.0.0'));
      const raw = compact.replace('"id":4242,', '"id":4.242e3,');
      expect(raw).not.toBe(compact);
      const stored = nextDelivery(engine);
      await smee.post(pkg.hookUrl, raw, await githubHeaders('push', raw, pkg.secret));
      const d = await detail(engine, (await stored).id);
      expect(d).toMatchObject({ source: 'tunnel', verdict: 'invalid', outcome: 'rejected', statusCode: 403 });
      expect(d.outcomeReason).toMatch(/^Signature invalid: The tunnel changed the body: smee re-serializes JSON/);
      expect(d.outcomeReason).toContain(`The provider sent ${raw.length} bytes; smee relayed ${compact.length}`);
      expect(d.outcomeReason).toMatch(/direct mode/);
      expect(d.verdictDetail?.reason).toMatch(/^The tunnel changed the body/);
      expect(d.verdictDetail?.received).toBe(await sign(pkg.secret, raw));
      expect(bodyOf(d).toString()).toBe(compact);
      expect(header(d, RECONSTRUCTION_HEADER)).toMatch(/^none matched \(\d+ tried\)$/);
    });

    it('takes a GitLab tag push through the tunnel (the token does not cover the body)', async () => {
      const { smee, engine, tunnelPackage } = await setup(kind);
      const pkg = await tunnelPackage('gitlab', 77);
      const body = JSON.stringify(gitlabTagPush(77, 'v0.9.0'), null, 2);
      const released = nextRelease(engine);
      await smee.post(pkg.hookUrl, body, gitlabHeaders('Tag Push Hook', pkg.secret));
      expect((await released).version).toBe('0.9.0');
      const [stored] = (await engine.invoke('deliveries.list', { limit: 1 })) as DeliverySummary[];
      expect(stored).toMatchObject({ source: 'tunnel', verdict: 'valid' });
      expect(header(await detail(engine, stored!.id), RECONSTRUCTION_HEADER)).toMatch(/not verified: no body signature/);
    });

    it('form-encoded and oversized bodies: smee refuses them, and what does arrive is diagnosed with a fix', async () => {
      const { smee, engine, receiverUrl, tunnelPackage } = await setup(kind, {}, { nonJson: 'reject' });
      const pkg = await tunnelPackage('github', 4242);
      const json = JSON.stringify(githubTagPush(4242, 'v1.0.0'));
      const form = 'payload=' + encodeURIComponent(json);
      const refused = await smee.post(pkg.hookUrl, form, { ...(await githubHeaders('push', form, pkg.secret)), 'content-type': 'application/x-www-form-urlencoded' });
      expect(refused.status).toBe(415);
      expect(explainSmeeRefusal(refused.status)?.fix).toMatch(/application\/json/);
      const huge = JSON.stringify({ ...githubTagPush(4242, 'v1.0.1'), padding: 'x'.repeat(1024 * 1024) });
      const tooLarge = await smee.post(pkg.hookUrl, huge, await githubHeaders('push', huge, pkg.secret));
      expect(tooLarge.status).toBe(413);
      expect(explainSmeeRefusal(tooLarge.status, huge.length)?.fix).toMatch(/direct mode/);
      expect(smee.relayed).toHaveLength(0);

      // The older smee relayed a form hook with an empty body: stored, rejected, and explained.
      const legacy = await startFakeSmee({ pingIntervalMs: 50, nonJson: 'empty' });
      const connected = tunnelState(engine, 'connected', (status) => status.channelUrl?.startsWith(legacy.url) ?? false);
      const recreated = (await engine.invoke('tunnel.create', { server: legacy.url })) as TunnelCreated;
      await connected;
      const moved = `${recreated.hookUrlBase}/hooks/${hookIdOf(pkg)}`;
      expect(moved.startsWith(legacy.url)).toBe(true);
      // A data dir's hook URL moved to the new channel; a team server's stays on its own address.
      const hookUrl = ((await engine.invoke('packages.get', { id: pkg.id })) as { hook: { url: string } }).hook.url;
      expect(hookUrl).toBe(kind === 'sqlite' ? moved : `${receiverUrl}/hooks/${hookIdOf(pkg)}`);
      const stored = nextDelivery(engine);
      expect((await legacy.post(moved, form, { ...(await githubHeaders('push', form, pkg.secret)), 'content-type': 'application/x-www-form-urlencoded' })).status).toBe(200);
      const d = await detail(engine, (await stored).id);
      expect(d).toMatchObject({ source: 'tunnel', outcome: 'rejected', statusCode: 415, verdict: 'unchecked' });
      expect(d.outcomeReason).toMatch(/The tunnel dropped the body: this hook sends application\/x-www-form-urlencoded/);
      expect(d.outcomeReason).toMatch(/content type to application\/json/);
    });

    it('stores a burst in shared commits: events read together are flushed together, none waits for the one before it', async () => {
      const { smee, engine, tunnelPackage } = await setup(kind);
      const pkg = await tunnelPackage('github', 4242);
      // Which turn of the event loop each delivery was announced in (announced once its commit is on disk).
      let turn = 0;
      let ticking = true;
      const tick = () => {
        turn++;
        if (ticking) setImmediate(tick);
      };
      tick();
      const turns: number[] = [];
      const off = engine.bus.subscribe((e) => {
        // Stored as pending; ingest announces the same delivery again once it is ingested.
        if (e.type === 'delivery' && e.delivery.source === 'tunnel' && e.delivery.outcome === 'pending') turns.push(turn);
      });
      const count = 200;
      const bodies = Array.from({ length: count }, (_, i) => JSON.stringify(githubTagPush(4242, `v9.${i}.0`)));
      const all = engine.bus.waitFor((e): e is DeliveryEvent => e.type === 'delivery' && turns.length >= count, 30_000);
      // smee holds the POSTs for a moment, then relays them back to back: a burst.
      const held = smee.pauseFor(1_000);
      await Promise.all(bodies.map(async (body) => smee.post(pkg.hookUrl, body, await githubHeaders('push', body, pkg.secret))));
      await held;
      await all;
      ticking = false;
      off();
      // One flush per event (each stored only after the one before it) would announce them in 200 separate turns.
      const batches = new Set(turns).size;
      expect(batches).toBeLessThan(count / 2);
      const stored = (await engine.invoke('deliveries.count', { source: 'tunnel', verdict: 'valid' })) as { count: number };
      expect(stored.count).toBe(count);
    });

    it('reconnects with backoff after the connection drops, and keeps delivering', async () => {
      const { smee, engine, call, tunnelPackage } = await setup(kind);
      const pkg = await tunnelPackage('github', 4242);
      const reconnecting = tunnelState(engine, 'reconnecting');
      const reconnected = reconnectedPush(engine);
      expect(smee.dropConnections()).toBe(1);
      const during = await reconnecting;
      expect(during.lastError).toBeTruthy();
      expect(during.nextRetryAt).toBeTypeOf('number');
      const after = await reconnected;
      expect(after.reconnects).toBe(1);
      await smee.waitForStreams(1);

      const body = JSON.stringify(githubTagPush(4242, 'v5.0.0'));
      const released = nextRelease(engine);
      await smee.post(pkg.hookUrl, body, await githubHeaders('push', body, pkg.secret));
      expect((await released).version).toBe('5.0.0');
      const feed = (await call<ActivityEntry[]>('activity.list', { limit: 20 })).map((a) => a.message);
      expect(feed.some((m) => /dropped .*reconnecting at once/.test(m))).toBe(true);
      expect(feed.some((m) => /^Tunnel reconnected to /.test(m))).toBe(true);
    });

    it('detects a stall (no ping past the threshold) and reconnects', async () => {
      const { smee, engine, call } = await setup(kind, { stallMs: 400 });
      const stalled = tunnelState(engine, 'stalled');
      const reconnected = reconnectedPush(engine);
      // The open stream stays open but goes silent, as smee streams do after some errors.
      expect(smee.stallConnections()).toBe(1);
      const status = await stalled;
      expect(status.lastError).toMatch(/No ping from smee for over/);
      expect((await reconnected).reconnects).toBe(1);
      await smee.waitForStreams(1);
      const feed = await call<ActivityEntry[]>('activity.list', { limit: 20 });
      expect(feed.map((a) => a.kind)).toContain('tunnel_stalled');
      // The silent stream was given up on and closed by the client, once it had nothing more to deliver.
      await vi.waitFor(() => expect(smee.streams()).toBe(1), { timeout: 10_000, interval: 50 });
    });

    it('turns off and on through the API, and drops events for unknown hooks with a reason', async () => {
      const { smee, engine, created, call } = await setup(kind);
      const dropped = engine.bus.waitFor((e): e is TunnelEvent => e.type === 'tunnel' && e.status.dropped > 0);
      await smee.post(created.channelUrl, '{"zen":"Keep it logically awesome."}', { 'content-type': 'application/json', 'x-github-event': 'ping' });
      expect((await dropped).status.lastError).toMatch(/without a hook id/);

      const off = tunnelState(engine, 'disconnected');
      const status = await call<TunnelStatus>('tunnel.disconnect');
      expect(status).toMatchObject({ state: 'disconnected', enabled: false });
      await off;
      await vi.waitFor(() => expect(smee.streams()).toBe(0));
      expect((await call<ActivityEntry[]>('activity.list', { limit: 5 })).map((a) => a.message).join('\n')).toMatch(/turned off/);

      const on = tunnelState(engine, 'connected');
      await call<TunnelStatus>('tunnel.connect');
      await on;
      expect((await call<TunnelStatus>('tunnel.status')).state).toBe('connected');
    });
  });
});
