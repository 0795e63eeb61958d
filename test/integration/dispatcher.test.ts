import { createHmac } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import Stripe from 'stripe';
import { describe, expect, it } from 'vitest';
import type { AttemptView, EndpointSecret, EndpointSummary, MessageView } from '../../src/shared/types';
import { addPackage, post } from '../helpers/engine';
import { ENGINE_KINDS, engineSites, type EngineKind, type SiteEngine } from '../helpers/engine-sites';
import { githubHeaders, githubTagPush } from '../helpers/payloads';
import { startSink } from '../helpers/sink';

type Engine = SiteEngine;

const startSite = engineSites();

const addEndpoint = async (engine: Engine, params: Record<string, unknown>) => (await engine.invoke('endpoints.add', { name: 'sink', ...params })) as EndpointSecret;
const attemptsOf = async (engine: Engine, id: string) => ((await engine.invoke('endpoints.attempts', { id, limit: 100 })) as AttemptView[]).reverse();
const endpoint = async (engine: Engine, id: string) => (await engine.invoke('endpoints.get', { id })) as EndpointSummary;
const messagesOf = async (engine: Engine, id: string) => (await engine.invoke('endpoints.messages', { id, limit: 100 })) as MessageView[];

async function pushTag(engine: Engine, receiverUrl: string, tag: string) {
  const pkg = await addPackage(engine, 'github', 42);
  const body = JSON.stringify(githubTagPush(42, tag));
  await post(`${receiverUrl}/hooks/${pkg.hookUrl.split('/hooks/')[1]}`, body, await githubHeaders('push', body, pkg.secret));
  await engine.ingest.idle();
  return pkg;
}

/** A Privato endpoint whose receiver answers 429 with this Retry-After, after its first attempt. */
async function answeredWithRetryAfter(kind: EngineKind, retryAfter: string) {
  const { engine } = await startSite(kind);
  const sink = await startSink(() => ({ status: 429, headers: { 'retry-after': retryAfter } }));
  const ep = await addEndpoint(engine, { url: sink.url, dialect: 'privato', events: ['release.published'] });
  const before = Date.now();
  await engine.invoke('endpoints.trigger', { id: ep.id, event: 'release.published' });
  await sink.waitFor(1);
  await engine.dispatcher.settle();
  const [message] = await messagesOf(engine, ep.id);
  return { message, before, sink };
}

// Every behaviour on both stores: the desktop's SQLite data dir and a team server's PostgreSQL database.
describe.each(ENGINE_KINDS)('%s store', (kind) => {
  describe('outbound dispatcher', () => {
    it('renders a published release as a Privato Release, signed as Privato signs', async () => {
      const { engine, receiverUrl } = await startSite(kind);
      const sink = await startSink();
      const ep = await addEndpoint(engine, { url: sink.url + '/privato', dialect: 'privato', events: ['release.published'] });
      await pushTag(engine, receiverUrl, 'v1.4.2');
      await sink.waitFor(1);
      const [req] = sink.received;
      expect(req!.header('x-signature')).toBe(createHmac('sha256', ep.secret).update(req!.body).digest('hex'));
      expect(JSON.parse(req!.body.toString())).toMatchObject({ name: 'v1.4.2', package: { repository: 'octo/widgets' } });
      await engine.dispatcher.settle();
      const [attempt] = await attemptsOf(engine, ep.id);
      expect(attempt).toMatchObject({ status: 200, succeeded: true, responseBody: 'ok', attemptNo: 1 });
      expect(attempt!.durationMs).toBeGreaterThanOrEqual(0);
      expect(JSON.stringify(await engine.invoke('endpoints.list', {}))).not.toContain(ep.secret);
    });

    it('retries on failure following the schedule until a 2xx', async () => {
      const { engine } = await startSite(kind);
      const sink = await startSink((_r, n) => (n < 3 ? { status: 500, body: 'down' } : { status: 204 }));
      const ep = await addEndpoint(engine, { url: sink.url, dialect: 'sigmagit', events: ['push'], retryDelays: [0, 0, 0] });
      await engine.invoke('endpoints.trigger', { id: ep.id, event: 'push' });
      await sink.waitFor(3);
      await engine.dispatcher.settle();
      expect((await attemptsOf(engine, ep.id)).map((a) => a.status)).toEqual([500, 500, 204]);
      expect((await messagesOf(engine, ep.id))[0]).toMatchObject({ state: 'succeeded', attemptCount: 3 });
      expect(sink.received[0]!.header('x-sigmagit-event')).toBe('push');
      expect(sink.received[0]!.header('user-agent')).toBe('Sigmagit-Webhook/1.0');
    });

    it('fails the message when the schedule runs out and disables the endpoint where the dialect says so', async () => {
      const { engine } = await startSite(kind);
      const sink = await startSink(() => ({ status: 503 }));
      const ep = await addEndpoint(engine, { url: sink.url, dialect: 'sigmagit', events: ['push'], retryDelays: [0] });
      await engine.invoke('endpoints.trigger', { id: ep.id, event: 'push' });
      await sink.waitFor(2);
      await engine.dispatcher.settle();
      expect((await messagesOf(engine, ep.id))[0]!.state).toBe('failed');
      const disabled = await endpoint(engine, ep.id);
      expect(disabled.active).toBe(false);
      expect(disabled.disabledReason).toMatch(/Every retry of a message failed/);
      const enabled = (await engine.invoke('endpoints.enable', { id: ep.id })) as EndpointSummary;
      expect(enabled).toMatchObject({ active: true, disabledReason: null, consecutiveFailures: 0 });
    });

    it('holds messages for a disabled endpoint and sends them once it is enabled again', async () => {
      const { engine } = await startSite(kind);
      const sink = await startSink();
      const ep = await addEndpoint(engine, { url: sink.url, dialect: 'sigmagit', events: ['push'] });
      await engine.invoke('endpoints.disable', { id: ep.id });
      await engine.invoke('endpoints.trigger', { id: ep.id, event: 'push' });
      await engine.dispatcher.settle();
      expect((await messagesOf(engine, ep.id))[0]).toMatchObject({ state: 'pending', attemptCount: 0 });
      expect(sink.received).toHaveLength(0);
      await engine.invoke('endpoints.enable', { id: ep.id });
      await sink.waitFor(1);
      await engine.dispatcher.settle();
      expect((await messagesOf(engine, ep.id))[0]).toMatchObject({ state: 'succeeded', attemptCount: 1 });
    });

    it('disables the endpoint on 410 Gone and never follows a redirect', async () => {
      const { engine } = await startSite(kind);
      const gone = await startSink(() => ({ status: 410 }));
      const moved = await startSink((r) => (r.path === '/elsewhere' ? { status: 200 } : { status: 302, headers: { location: '/elsewhere' } }));
      const a = await addEndpoint(engine, { url: gone.url, dialect: 'privato', events: ['release.published'], retryDelays: [0, 0] });
      const b = await addEndpoint(engine, { url: moved.url, dialect: 'privato', events: ['release.published'], retryDelays: [] });
      await engine.invoke('endpoints.trigger', { id: a.id, event: 'release.published' });
      await engine.invoke('endpoints.trigger', { id: b.id, event: 'release.published' });
      await gone.waitFor(1);
      await moved.waitFor(1);
      await engine.dispatcher.settle();
      expect(await endpoint(engine, a.id)).toMatchObject({ active: false, disabledReason: 'The endpoint answered 410 Gone.' });
      expect(gone.received).toHaveLength(1);
      expect((await attemptsOf(engine, b.id))[0]).toMatchObject({ status: 302, succeeded: false });
      expect(moved.received.map((r) => r.path)).toEqual(['/']);
    });

    it('honours Retry-After on 429 and persists the next attempt time', async () => {
      const { message, before } = await answeredWithRetryAfter(kind, '120');
      expect(message!.state).toBe('pending');
      expect(message!.nextAttemptAt! - before).toBeGreaterThanOrEqual(120_000);
      expect(message!.nextAttemptAt! - before).toBeLessThan(130_000);
    });

    it('never retries sooner than the schedule because Retry-After asked for less', async () => {
      const { message, before, sink } = await answeredWithRetryAfter(kind, '0');
      // Privato waits 10 s before its first retry.
      expect(message!).toMatchObject({ state: 'pending', attemptCount: 1 });
      expect(message!.nextAttemptAt! - before).toBeGreaterThanOrEqual(10_000);
      expect(sink.received).toHaveLength(1);
    });

    it('resumes the retry schedule after a restart', async () => {
      const sink = await startSink((_r, n) => (n === 1 ? { status: 500 } : { status: 200 }));
      const site = await startSite(kind);
      const first = site.engine;
      const ep = (await first.invoke('endpoints.add', { name: 'later', url: sink.url, dialect: 'privato', events: ['release.published'] })) as EndpointSecret;
      await first.invoke('endpoints.trigger', { id: ep.id, event: 'release.published' });
      await sink.waitFor(1);
      await first.dispatcher.settle();
      await site.close();
      // Privato retries after 10 s; the restarted engine lives a minute later.
      const second = (await startSite(kind, { at: site.place, now: () => Date.now() + 60_000 })).engine;
      await sink.waitFor(2);
      await second.dispatcher.settle();
      expect(((await second.invoke('endpoints.messages', { id: ep.id, limit: 10 })) as MessageView[])[0]).toMatchObject({ state: 'succeeded', attemptCount: 2 });
      expect(sink.received[1]!.body.equals(sink.received[0]!.body)).toBe(true);
    });

    it('never lets a hanging endpoint delay the others', async () => {
      const { engine } = await startSite(kind);
      const slow = await startSink(() => 'hang');
      const fast = await startSink();
      const s = await addEndpoint(engine, { url: slow.url, dialect: 'privato', events: ['release.published'], timeoutMs: 10_000, maxInFlight: 1 });
      const f = await addEndpoint(engine, { url: fast.url, dialect: 'privato', events: ['release.published'] });
      await engine.invoke('endpoints.trigger', { id: s.id, event: 'release.published' });
      await engine.invoke('endpoints.trigger', { id: s.id, event: 'release.published' });
      await slow.waitFor(1);
      await engine.invoke('endpoints.trigger', { id: f.id, event: 'release.published' });
      await fast.waitFor(1);
      await engine.bus.waitFor((e): e is Extract<typeof e, { type: 'attempt' }> => e.type === 'attempt' && e.attempt.endpointId === f.id);
      // The slow endpoint holds one request (its limit) and has answered none of them.
      expect(slow.received).toHaveLength(1);
      expect(await attemptsOf(engine, s.id)).toHaveLength(0);
    });

    it('signs with both secrets during a rotation and resends under the same message id', async () => {
      const { engine } = await startSite(kind);
      const sink = await startSink();
      const ep = await addEndpoint(engine, { url: sink.url, dialect: 'standard-webhooks', events: ['release.published'] });
      const rotated = (await engine.invoke('endpoints.rotateSecret', { id: ep.id })) as EndpointSecret;
      expect(rotated.secret).not.toBe(ep.secret);
      const message = (await engine.invoke('endpoints.trigger', { id: ep.id, event: 'release.published' })) as MessageView;
      await sink.waitFor(1);
      await engine.dispatcher.settle();
      const first = sink.received[0]!;
      const headers = Object.fromEntries(first.headers.map(([k, v]) => [k.toLowerCase(), v]));
      expect(headers['webhook-signature']!.split(' ')).toHaveLength(2);
      expect(() => new Webhook(ep.secret).verify(first.body.toString(), headers)).not.toThrow();
      expect(() => new Webhook(rotated.secret).verify(first.body.toString(), headers)).not.toThrow();

      await engine.invoke('messages.resend', { id: message.id });
      await sink.waitFor(2);
      expect(sink.received[1]!.header('webhook-id')).toBe(first.header('webhook-id'));
      expect(first.header('webhook-id')).toBe(message.messageId);
    });

    it('rotates Stripe with a v1 signature per secret, and a one-signature dialect straight to the new secret', async () => {
      const { engine } = await startSite(kind);
      const sink = await startSink();
      const stripeEp = await addEndpoint(engine, { url: sink.url, dialect: 'stripe', events: ['release.published'] });
      const stripeRotated = (await engine.invoke('endpoints.rotateSecret', { id: stripeEp.id })) as EndpointSecret;
      expect(stripeRotated.previousSecretValidUntil).toBeGreaterThan(Date.now());
      await engine.invoke('endpoints.trigger', { id: stripeEp.id, event: 'release.published' });
      await sink.waitFor(1);
      const signed = sink.received[0]!;
      const header = signed.header('stripe-signature')!;
      expect(header.split(',').filter((p) => p.startsWith('v1='))).toHaveLength(2);
      const stripe = new Stripe('sk_test_hookbench_dispatch');
      for (const secret of [stripeEp.secret, stripeRotated.secret]) expect(() => stripe.webhooks.constructEvent(signed.body, header, secret)).not.toThrow();

      const gh = await addEndpoint(engine, { url: sink.url, dialect: 'github', events: ['release.published'] });
      const ghRotated = (await engine.invoke('endpoints.rotateSecret', { id: gh.id })) as EndpointSecret;
      expect(ghRotated.previousSecretValidUntil).toBeNull();
      await engine.invoke('endpoints.trigger', { id: gh.id, event: 'release.published' });
      await sink.waitFor(2);
      const ghSigned = sink.received[1]!;
      expect(ghSigned.header('x-hub-signature-256')).toBe('sha256=' + createHmac('sha256', ghRotated.secret).update(ghSigned.body).digest('hex'));
    });

    it('relays a package\u2019s raw deliveries byte-exact with the provider\u2019s own headers', async () => {
      const { engine, receiverUrl } = await startSite(kind);
      const sink = await startSink();
      const pkg = await addPackage(engine, 'github', 42);
      await addEndpoint(engine, { url: sink.url, dialect: 'github', events: ['inbound.relay'], relay: { packageId: pkg.id, mode: 'original' } });
      const body = JSON.stringify(githubTagPush(42, 'v1.0.0'), null, 4);
      const headers = await githubHeaders('push', body, pkg.secret);
      await post(`${receiverUrl}/hooks/${pkg.hookUrl.split('/hooks/')[1]}`, body, headers);
      await sink.waitFor(1);
      const relayed = sink.received.find((r) => r.header('x-github-event') === 'push')!;
      expect(relayed.body.toString()).toBe(body);
      expect(relayed.header('x-hub-signature-256')).toBe(headers['x-hub-signature-256']);
      expect(relayed.header('x-github-delivery')).toBe(headers['x-github-delivery']);
      // The provider's own Content-Type and User-Agent, once each: not Hookbench's beside them.
      const named = (name: string) => relayed.headers.filter(([k]) => k.toLowerCase() === name).map(([, v]) => v);
      expect(named('user-agent')).toEqual([headers['user-agent']]);
      expect(named('content-type')).toEqual([headers['content-type']]);
    });

    it('relays re-signed in the endpoint\u2019s own dialect when asked, body bytes unchanged', async () => {
      const { engine, receiverUrl } = await startSite(kind);
      const sink = await startSink();
      const pkg = await addPackage(engine, 'github', 42);
      const ep = await addEndpoint(engine, { url: sink.url, dialect: 'standard-webhooks', events: ['inbound.relay'], relay: { packageId: pkg.id, mode: 'resign' } });
      const body = JSON.stringify(githubTagPush(42, 'v2.0.0'), null, 2);
      await post(`${receiverUrl}/hooks/${pkg.hookUrl.split('/hooks/')[1]}`, body, await githubHeaders('push', body, pkg.secret));
      await sink.waitFor(1);
      const relayed = sink.received[0]!;
      expect(relayed.body.toString()).toBe(body);
      const headers = Object.fromEntries(relayed.headers.map(([k, v]) => [k.toLowerCase(), v]));
      expect(() => new Webhook(ep.secret).verify(relayed.body.toString(), headers)).not.toThrow();
    });

    it('refuses an endpoint without events or with an unknown dialect, saying why', async () => {
      const { engine } = await startSite(kind);
      await expect(engine.invoke('endpoints.add', { name: 'x', url: 'http://127.0.0.1:1', dialect: 'privato', events: [] })).rejects.toThrow(/at least one event/);
      await expect(engine.invoke('endpoints.add', { name: 'x', url: 'http://127.0.0.1:1', dialect: 'carrier-pigeon', events: ['x'] })).rejects.toThrow(/Unknown dialect "carrier-pigeon"/);
      await expect(engine.invoke('endpoints.add', { name: 'x', url: 'http://127.0.0.1:1', dialect: 'privato', events: ['nope'] })).rejects.toThrow(/Unknown event "nope"/);
    });
  });
});
