import { describe, expect, it } from 'vitest';
import type { DeliveryDetail, DeliverySummary, Diagnosis, InboxCreated, InboxSummary, SignedRequest } from '../../src/shared/types';
import { ENGINE_KINDS, engineSites, type SiteEngine } from '../helpers/engine-sites';

type Engine = SiteEngine;

const latestCapture = async (engine: Engine, id: string) => ((await engine.invoke('inboxes.captures', { id, limit: 1 })) as DeliverySummary[])[0]!;

/** Sends a Standard Webhooks message signed with `secret` and returns the capture it made. */
async function sendSigned(engine: Engine, inbox: InboxCreated, secret: string, id: string): Promise<DeliveryDetail> {
  const body = `{"type":"invoice.paid","id":"${id}"}`;
  const signed = (await engine.invoke('signature.sign', {
    dialect: 'standard-webhooks',
    secret,
    bodyBase64: Buffer.from(body).toString('base64'),
    timestamp: Math.floor(Date.now() / 1000),
    id,
  })) as SignedRequest;
  expect((await fetch(inbox.url, { method: 'POST', body, headers: signed.headers })).status).toBe(200);
  return (await engine.invoke('deliveries.get', { id: (await latestCapture(engine, inbox.id)).id })) as DeliveryDetail;
}

const startSite = engineSites();

// Every behaviour on both stores: the desktop's SQLite data dir and a team server's PostgreSQL database.
describe.each(ENGINE_KINDS)('%s store', (kind) => {
  describe('inbox secret rotation', () => {
    it('gives a new secret in the dialect form; the previous one verifies during the overlap, and the capture says so', async () => {
      const { engine } = await startSite(kind);
      const inbox = (await engine.invoke('inboxes.add', { name: 'svix', dialect: 'standard-webhooks' })) as InboxCreated;
      const old = inbox.secret!;
      const before = Date.now();
      const rotated = (await engine.invoke('inboxes.rotate', { id: inbox.id, overlapSeconds: 3600 })) as InboxCreated;
      expect(rotated).toMatchObject({ id: inbox.id, url: inbox.url });
      expect(rotated.secret).toMatch(/^whsec_[A-Za-z0-9+/]+=*$/);
      expect(rotated.secret).not.toBe(old);
      const summary = (await engine.invoke('inboxes.get', { id: inbox.id })) as InboxSummary;
      expect(summary.previousSecretUntil).toBeGreaterThanOrEqual(before + 3600_000);
      expect(JSON.stringify(summary)).not.toContain(rotated.secret!);

      const byOld = await sendSigned(engine, inbox, old, 'msg_old');
      expect(byOld.verdict).toBe('valid');
      // The event a Standard Webhooks capture is about comes from its payload's type.
      expect(byOld.event).toBe('invoice.paid');
      expect(byOld.verdictDetail?.reason).toBe('Signature matches the previous secret, still accepted while the inbox is rotated.');
      const diagnosis = (await engine.invoke('deliveries.diagnose', { id: byOld.id })) as Diagnosis;
      expect(diagnosis.verdict).toBe('valid');
      expect(diagnosis.matchedSecret).toMatch(/^this inbox\u2019s previous secret \(still accepted during the rotation, until /);

      const byNew = await sendSigned(engine, inbox, rotated.secret!, 'msg_new');
      expect(byNew.verdict).toBe('valid');
      expect(byNew.verdictDetail?.reason).not.toMatch(/previous/);
      expect(((await engine.invoke('deliveries.diagnose', { id: byNew.id })) as Diagnosis).matchedSecret).toBe('this inbox\u2019s secret');
    });

    it('ends the overlap at once with --overlap 0: the replaced secret no longer verifies', async () => {
      const { engine } = await startSite(kind);
      const inbox = (await engine.invoke('inboxes.add', { name: 'svix', dialect: 'standard-webhooks' })) as InboxCreated;
      const given = 'whsec_' + Buffer.alloc(24, 7).toString('base64');
      const rotated = (await engine.invoke('inboxes.rotate', { id: inbox.id, secret: given, overlapSeconds: 0 })) as InboxCreated;
      expect(rotated.secret).toBe(given);
      expect(((await engine.invoke('inboxes.get', { id: inbox.id })) as InboxSummary).previousSecretUntil).toBeNull();
      const byOld = await sendSigned(engine, inbox, inbox.secret!, 'msg_old');
      expect(byOld).toMatchObject({ verdict: 'invalid', outcome: 'captured' });
      expect((await sendSigned(engine, inbox, given, 'msg_new')).verdict).toBe('valid');
    });

    it('refuses a secret the dialect cannot use, and an inbox that checks no signature, changing nothing', async () => {
      const { engine } = await startSite(kind);
      const inbox = (await engine.invoke('inboxes.add', { name: 'svix', dialect: 'standard-webhooks' })) as InboxCreated;
      await expect(engine.invoke('inboxes.rotate', { id: inbox.id, secret: 'whsec_short' })).rejects.toThrow(/Not a Standard Webhooks \(Svix\) secret/);
      expect(((await engine.invoke('inboxes.get', { id: inbox.id })) as InboxSummary).previousSecretUntil).toBeNull();
      expect((await sendSigned(engine, inbox, inbox.secret!, 'msg_1')).verdict).toBe('valid');
      const none = (await engine.invoke('inboxes.add', { name: 'raw', dialect: 'none' })) as InboxCreated;
      await expect(engine.invoke('inboxes.rotate', { id: none.id })).rejects.toThrow(/checks no signature, so it has no secret to rotate/);
    });
  });
});
