import { describe, expect, it } from 'vitest';
import type { PushEvent } from '../../src/shared/contract';
import type { EndpointSecret, EndpointSummary, MessageView } from '../../src/shared/types';
import { addPackage, post } from '../helpers/engine';
import { ENGINE_KINDS, engineSites, type SiteEngine } from '../helpers/engine-sites';
import { githubHeaders, githubTagPush } from '../helpers/payloads';
import { startSink } from '../helpers/sink';

type Engine = SiteEngine;

const endpoint = async (engine: Engine, id: string) => (await engine.invoke('endpoints.get', { id })) as EndpointSummary;
const messagesOf = async (engine: Engine, id: string) => (await engine.invoke('endpoints.messages', { id, limit: 1000 })) as MessageView[];

/** Tags pushed to the receiver as GitHub would send them, each one a release once ingested. */
async function publishReleases(engine: Engine, receiverUrl: string, count: number) {
  const pkg = await addPackage(engine, 'github', 42);
  const url = `${receiverUrl}/hooks/${pkg.hookUrl.split('/hooks/')[1]}`;
  for (let i = 0; i < count; i++) {
    const body = JSON.stringify(githubTagPush(42, `v1.0.${i}`));
    expect((await post(url, body, await githubHeaders('push', body, pkg.secret))).status).toBe(202);
  }
  await engine.ingest.idle();
}

const startSite = engineSites();

// Every behaviour on both stores: the desktop's SQLite data dir and a team server's PostgreSQL database.
describe.each(ENGINE_KINDS)('%s store', (kind) => {
  describe('a disabled endpoint keeps its messages', () => {
    it('queues the releases published while it is disabled and sends every one once it is enabled', async () => {
      const { engine, receiverUrl } = await startSite(kind);
      const sink = await startSink();
      const ep = (await engine.invoke('endpoints.add', { name: 'relay', url: sink.url, dialect: 'privato', events: ['release.published'] })) as EndpointSecret;
      await engine.invoke('endpoints.disable', { id: ep.id, reason: 'receiver down for maintenance' });

      await publishReleases(engine, receiverUrl, 60);
      await engine.dispatcher.settle();

      const waiting = await messagesOf(engine, ep.id);
      expect(waiting).toHaveLength(60);
      expect(waiting.every((m) => m.state === 'pending' && m.attemptCount === 0)).toBe(true);
      expect((await endpoint(engine, ep.id)).stats.pendingMessages).toBe(60);
      expect(sink.received).toHaveLength(0);

      await engine.invoke('endpoints.enable', { id: ep.id });
      await sink.waitFor(60);
      await engine.dispatcher.settle();
      const names = sink.received.map((r) => (JSON.parse(r.body.toString()) as { name: string }).name).sort();
      expect(names).toEqual(Array.from({ length: 60 }, (_, i) => `v1.0.${i}`).sort());
      expect((await messagesOf(engine, ep.id)).every((m) => m.state === 'succeeded')).toBe(true);
      expect((await endpoint(engine, ep.id)).stats.pendingMessages).toBe(0);
    });

    it('tells the screen when its queue grows, without an attempt to report', async () => {
      const { engine, receiverUrl } = await startSite(kind);
      const sink = await startSink();
      const ep = (await engine.invoke('endpoints.add', { name: 'later', url: sink.url, dialect: 'privato', events: ['release.published'] })) as EndpointSecret;
      await engine.invoke('endpoints.disable', { id: ep.id });
      const grown = engine.bus.waitFor((e: PushEvent): e is Extract<PushEvent, { type: 'endpoint' }> => e.type === 'endpoint' && e.endpoint.id === ep.id && e.endpoint.stats.pendingMessages === 3);
      await publishReleases(engine, receiverUrl, 3);
      expect((await grown).endpoint).toMatchObject({ active: false, stats: { pendingMessages: 3 } });
    });
  });
});
