import { sign as octokitSign } from '@octokit/webhooks-methods';
import { Webhook } from 'standardwebhooks';
import Stripe from 'stripe';
import { describe, expect, it } from 'vitest';
import type { DeliverySummary, InboxCreated } from '../../src/shared/types';
import { ENGINE_KINDS, engineSites, type SiteEngine } from '../helpers/engine-sites';

type Engine = SiteEngine;

const addInbox = async (engine: Engine, dialect: string) => (await engine.invoke('inboxes.add', { name: dialect, dialect })) as InboxCreated;
const capturesOf = async (engine: Engine, id: string) => (await engine.invoke('inboxes.captures', { id, limit: 10 })) as DeliverySummary[];

const startSite = engineSites();

/** Requests signed by the providers' own libraries, sent over real HTTP: each capture verifies, on both stores. */
describe.each(ENGINE_KINDS)('%s store', (kind) => {
  describe('inboxes verify what the providers’ own libraries sign', () => {
    it('standardwebhooks (Svix)', async () => {
      const { engine } = await startSite(kind);
      const inbox = await addInbox(engine, 'standard-webhooks');
      const body = '{"type":"user.created","data":{"id":1}}';
      const id = 'msg_2Yk9';
      const at = new Date();
      const signature = new Webhook(inbox.secret!).sign(id, at, body);
      const headers = { 'content-type': 'application/json', 'webhook-id': id, 'webhook-timestamp': String(Math.floor(at.getTime() / 1000)), 'webhook-signature': signature };
      expect((await fetch(inbox.url, { method: 'POST', body, headers })).status).toBe(200);
      expect(await capturesOf(engine, inbox.id)).toMatchObject([{ verdict: 'valid', outcome: 'captured', providerDeliveryId: id }]);
    });

    it("stripe's generateTestHeaderString, as constructEvent checks it", async () => {
      const { engine } = await startSite(kind);
      const inbox = await addInbox(engine, 'stripe');
      const body = '{"id":"evt_9Lq","object":"event","type":"invoice.paid"}';
      const header = new Stripe('sk_test_hookbench_inbox').webhooks.generateTestHeaderString({ payload: body, secret: inbox.secret! });
      expect((await fetch(`${inbox.url}/webhooks/stripe`, { method: 'POST', body, headers: { 'content-type': 'application/json', 'stripe-signature': header } })).status).toBe(200);
      expect(await capturesOf(engine, inbox.id)).toMatchObject([{ verdict: 'valid', path: '/webhooks/stripe', providerDeliveryId: 'evt_9Lq' }]);
    });

    it('@octokit/webhooks-methods (GitHub)', async () => {
      const { engine } = await startSite(kind);
      const inbox = await addInbox(engine, 'github');
      const body = '{"zen":"Keep it logically awesome."}';
      const headers = { 'content-type': 'application/json', 'x-github-event': 'ping', 'x-github-delivery': 'd-1', 'x-hub-signature-256': await octokitSign(inbox.secret!, body) };
      expect((await fetch(inbox.url, { method: 'POST', body, headers })).status).toBe(200);
      expect(await capturesOf(engine, inbox.id)).toMatchObject([{ verdict: 'valid' }]);
    });
  });
});
