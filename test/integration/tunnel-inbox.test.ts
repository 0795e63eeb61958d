import { randomBytes } from 'node:crypto';
import { SmeeClient } from 'smee-client';
import { Webhook } from 'standardwebhooks';
import Stripe from 'stripe';
import { describe, expect, it, onTestFinished } from 'vitest';
import type { PushEvent } from '../../src/shared/contract';
import type { CapturedView, DeliveryDetail, InboxCreated, TunnelCreated, TunnelState, TunnelStatus } from '../../src/shared/types';
import { RECONSTRUCTION_HEADER } from '../../src/main/engine/tunnel/deliver';
import { ENGINE_KINDS, engineSites, type EngineKind, type SiteEngine } from '../helpers/engine-sites';
import { siteQuery } from '../helpers/site-query';
import { startFakeSmee } from '../helpers/fake-smee';
import { startTarget, type TargetRequest } from '../helpers/forward-target';
import { waitUntil } from '../helpers/wait-until';

type DeliveryEvent = Extract<PushEvent, { type: 'delivery' }>;
type TunnelEvent = Extract<PushEvent, { type: 'tunnel' }>;
const QUIET = { info: () => undefined, error: () => undefined };

const nextCapture = (engine: SiteEngine) => engine.bus.waitFor((e): e is DeliveryEvent => e.type === 'delivery').then((e) => e.delivery);
const detail = (engine: SiteEngine, id: number) => engine.invoke('deliveries.get', { id }) as Promise<DeliveryDetail>;
const header = (d: DeliveryDetail, name: string) => d.headers.find(([k]) => k.toLowerCase() === name)?.[1];

const startSite = engineSites();

async function setup(kind: EngineKind) {
  const smee = await startFakeSmee({ pingIntervalMs: 50 });
  const { engine, receiverUrl, place, box } = await startSite(kind, { tunnel: { backoffInitialMs: 20, backoffMaxMs: 200, watchMs: 100, stallMs: 5_000 } });
  const connected = engine.bus.waitFor((e): e is TunnelEvent => e.type === 'tunnel' && e.status.state === ('connected' satisfies TunnelState), 10_000);
  const created = (await engine.invoke('tunnel.create', { server: smee.url })) as TunnelCreated;
  await connected;
  await smee.waitForStreams(1);
  // Where senders reach an inbox through the channel. A team server's own address counts as configured: its inbox URLs stay on it, and the tunnel takes this address too.
  const viaTunnel = (inbox: InboxCreated) => `${created.hookUrlBase}/in/${inbox.id}`;
  expect(created.hookUrlsViaTunnel).toBe(kind === 'sqlite');
  return { smee, engine, receiverUrl, place, box, created, viaTunnel };
}

/** What an app behind a Standard Webhooks sender does: verify the signature on the bytes it got. */
const verifies = (secret: string, req: TargetRequest) => {
  try {
    new Webhook(secret).verify(req.body.toString('utf8'), Object.fromEntries(req.headers.map(([k, v]) => [k.toLowerCase(), v])));
    return true;
  } catch {
    return false;
  }
};

describe.each(ENGINE_KINDS)('%s store', (kind) => {
  describe('inboxes through the smee tunnel', () => {
    it('verifies a capture signed with the previous secret during a rotation, as the direct route does', async () => {
      const { smee, engine, viaTunnel } = await setup(kind);
      const inbox = (await engine.invoke('inboxes.add', { name: 'rotating', dialect: 'standard-webhooks' })) as InboxCreated;
      await engine.invoke('inboxes.rotate', { id: inbox.id, overlapSeconds: 3600 });
      const body = JSON.stringify({ type: 'invoice.paid', data: { id: 'in_2' } }, null, 2);
      const at = new Date();
      const headers = {
        'content-type': 'application/json',
        'webhook-id': 'msg_rotated',
        'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
        'webhook-signature': new Webhook(inbox.secret!).sign('msg_rotated', at, body),
      };
      const stored = nextCapture(engine);
      expect((await smee.post(viaTunnel(inbox), body, headers)).status).toBe(200);
      const d = await detail(engine, (await stored).id);
      expect(d).toMatchObject({ source: 'tunnel', verdict: 'valid', outcome: 'captured' });
      expect(d.verdictDetail?.reason).toMatch(/previous secret/);
      expect(Buffer.from(d.bodyBase64, 'base64').toString()).toBe(body);
    });

    it('verifies a capture signed with the secret another process stored a moment ago', async () => {
      const { smee, engine, viaTunnel, place, box } = await setup(kind);
      const inbox = (await engine.invoke('inboxes.add', { name: 'rotated elsewhere', dialect: 'standard-webhooks' })) as InboxCreated;
      const send = async (secret: string, id: string) => {
        const body = JSON.stringify({ type: 'invoice.paid', data: { id } });
        const at = new Date();
        const headers = {
          'content-type': 'application/json',
          'webhook-id': id,
          'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
          'webhook-signature': new Webhook(secret).sign(id, at, body),
        };
        const stored = nextCapture(engine);
        expect((await smee.post(viaTunnel(inbox), body, headers)).status).toBe(200);
        return detail(engine, (await stored).id);
      };
      expect(await send(inbox.secret!, 'msg_before')).toMatchObject({ source: 'tunnel', verdict: 'valid' });

      // Written straight to the store, as another process (a CLI beside a serve, another instance) rotating the inbox leaves it: nothing tells this one.
      const secret = `whsec_${randomBytes(24).toString('base64')}`;
      await siteQuery(place)('UPDATE inboxes SET secret_sealed = $1 WHERE id = $2', [box.seal(secret), inbox.id]);
      expect(await send(secret, 'msg_after')).toMatchObject({ source: 'tunnel', verdict: 'valid', outcome: 'captured' });
    });

    it('rebuilds the signed bytes of a capture sent to ?path=/in/<id>/…, verifies it, keeps its sub-path and query, and forwards the original bytes', async () => {
      const { smee, engine, receiverUrl, created, viaTunnel } = await setup(kind);
      const inbox = (await engine.invoke('inboxes.add', { name: 'svix', dialect: 'standard-webhooks' })) as InboxCreated;
      expect(inbox.url).toBe(kind === 'sqlite' ? `${created.channelUrl}?path=/in/${inbox.id}` : `${receiverUrl}/in/${inbox.id}`);
      expect(viaTunnel(inbox)).toBe(`${created.channelUrl}?path=/in/${inbox.id}`);
      const app = await startTarget((req) => ({ status: verifies(inbox.secret!, req) ? 204 : 400 }));
      await engine.invoke('inboxes.forward', { id: inbox.id, url: `${app.url}/webhooks` });

      // smee-client as its README runs it, on the same channel, forwarding to another local app.
      const direct = await startTarget((req) => ({ status: verifies(inbox.secret!, req) ? 204 : 400 }));
      const client = new SmeeClient({ source: created.channelUrl, target: `${direct.url}/webhooks`, logger: QUIET });
      await client.start();
      onTestFinished(() => client.stop());
      await smee.waitForStreams(2, created.channelUrl.split('/').pop());

      // Indented, as many senders write it: smee relays JSON.stringify of it, not these bytes.
      const body = JSON.stringify({ type: 'invoice.paid', data: { id: 'in_1', note: 'café & co' } }, null, 2);
      const at = new Date();
      const headers = {
        'content-type': 'application/json',
        'webhook-id': 'msg_tunnel1',
        'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
        'webhook-signature': new Webhook(inbox.secret!).sign('msg_tunnel1', at, body),
      };
      const stored = nextCapture(engine);
      expect((await smee.post(`${viaTunnel(inbox)}/billing&live=1`, body, headers)).status).toBe(200);
      const d = await detail(engine, (await stored).id);
      expect(d).toMatchObject({
        hookId: inbox.id,
        source: 'tunnel',
        method: 'POST',
        path: '/billing?live=1',
        verdict: 'valid',
        outcome: 'captured',
        providerDeliveryId: 'msg_tunnel1',
        event: 'invoice.paid',
      });
      expect(Buffer.from(d.bodyBase64, 'base64').toString()).toBe(body);
      expect(header(d, RECONSTRUCTION_HEADER)).toBe('JSON indented by 2 spaces');

      // The app behind Hookbench gets the sender's bytes and verifies them; the one behind smee-client cannot.
      await waitUntil(
        async () => ((await engine.invoke('captured.get', { ref: `delivery:${d.id}` })) as CapturedView).forwards,
        (f) => f[0]?.state === 'delivered',
      );
      expect(app.received.map((r) => [r.path, r.body.toString()])).toEqual([['/webhooks/billing?live=1', body]]);
      expect(app.received[0]!.headers.some(([k]) => k.toLowerCase() === RECONSTRUCTION_HEADER)).toBe(false);
      await waitUntil(
        async () => direct.received.length,
        (n) => n >= 1,
      );
      expect(direct.received[0]!.body.toString()).toBe(JSON.stringify(JSON.parse(body)));
      expect(verifies(inbox.secret!, direct.received[0]!)).toBe(false);
    });

    it('takes a Stripe capture whose timestamp is inside its signature header, and names unknown inboxes', async () => {
      const { smee, engine, created, viaTunnel } = await setup(kind);
      const inbox = (await engine.invoke('inboxes.add', { name: 'stripe', dialect: 'stripe' })) as InboxCreated;
      const body = JSON.stringify({ id: 'evt_T1', object: 'event', type: 'charge.succeeded', data: { object: { amount: 1.5e3 } } }, null, 4);
      const signature = new Stripe('sk_test_hookbench_tunnel').webhooks.generateTestHeaderString({ payload: body, secret: inbox.secret! });
      const stored = nextCapture(engine);
      await smee.post(`${viaTunnel(inbox)}/stripe`, body, { 'content-type': 'application/json', 'stripe-signature': signature });
      const d = await detail(engine, (await stored).id);
      expect(d).toMatchObject({ source: 'tunnel', path: '/stripe', verdict: 'valid', providerDeliveryId: 'evt_T1' });

      // A wrong secret: kept, named invalid with the tunnel's explanation, not refused.
      const other = body.replace('evt_T1', 'evt_T2');
      const forged = new Stripe('sk_test_hookbench_tunnel').webhooks.generateTestHeaderString({ payload: other, secret: 'whsec_c29tZXRoaW5nIGVsc2U=' });
      const next = nextCapture(engine);
      await smee.post(viaTunnel(inbox), other, { 'content-type': 'application/json', 'stripe-signature': forged });
      expect(await detail(engine, (await next).id)).toMatchObject({ verdict: 'invalid', outcome: 'captured', outcomeReason: expect.stringMatching(/^Signature invalid: The tunnel changed the body/) });

      await smee.post(`${created.channelUrl}?path=/in/in_nope`, '{}', { 'content-type': 'application/json' });
      const status = await waitUntil(
        async () => (await engine.invoke('tunnel.status', {})) as TunnelStatus,
        (s) => s.lastError !== null,
      );
      expect(status).toMatchObject({ dropped: 1, lastError: 'An event for unknown inbox in_nope reached the smee channel (was it removed?); it was not stored.' });
    });
  });
});
