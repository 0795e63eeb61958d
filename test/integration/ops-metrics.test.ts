import { describe, expect, it, onTestFinished } from 'vitest';
import { createControlServer } from '../../src/main/engine/control/http-server';
import type { MessageView } from '../../src/shared/types';
import { addPackage, post } from '../helpers/engine';
import { ENGINE_KINDS, engineSites, type EngineKind } from '../helpers/engine-sites';
import { githubHeaders, githubTagPush } from '../helpers/payloads';
import { startSink } from '../helpers/sink';
import { waitUntil } from '../helpers/wait-until';

const startSite = engineSites();

/** A site with its control server, where /metrics and /readyz are served (a team instance's own). */
async function setup(kind: EngineKind) {
  const { engine, receiverUrl, sql } = await startSite(kind);
  const control = createControlServer({ invoke: engine.invoke, bus: engine.bus, uiDir: null, access: engine.access, ops: engine.ops });
  const { url } = await control.listen({ port: 0 });
  onTestFinished(() => control.close());
  return { engine, receiverUrl, url, sql };
}

// Every behaviour on both stores: the desktop's SQLite data dir and a team server's PostgreSQL database.
describe.each(ENGINE_KINDS)('%s store', (kind) => {
  describe('operations endpoints', () => {
    it('/metrics counts deliveries by outcome, messages by state and attempt latency as work happens', async () => {
      const t = await setup(kind);
      const sink = await startSink();
      const pkg = await addPackage(t.engine, 'github', 7);
      const body = JSON.stringify(githubTagPush(7, 'v1.0.0'));
      await post(`${t.receiverUrl}/hooks/${pkg.hookUrl.split('/hooks/')[1]}`, body, await githubHeaders('push', body, pkg.secret));
      await post(`${t.receiverUrl}/hooks/${pkg.hookUrl.split('/hooks/')[1]}`, body, await githubHeaders('push', body, 'wrong'));
      const endpoint = (await t.engine.invoke('endpoints.add', { name: 'sink', url: sink.url, dialect: 'standard-webhooks', events: ['release.published'] })) as { id: string };
      await t.engine.invoke('endpoints.trigger', { id: endpoint.id, event: 'release.published' });
      await waitUntil(
        async () => (await t.engine.invoke('endpoints.messages', { id: endpoint.id, limit: 10 })) as MessageView[],
        (messages) => messages.length > 0 && messages.every((m) => m.state === 'succeeded'),
      );
      const text = await waitUntil(
        async () => (await fetch(`${t.url}/metrics`)).text(),
        (metrics) => !metrics.includes('hookbench_deliveries{outcome="pending"}'),
      );
      expect(text).toMatch(/hookbench_deliveries\{outcome="ingested"\} 1/);
      expect(text).toMatch(/hookbench_deliveries\{outcome="rejected"\} 1/);
      expect(text).toMatch(/hookbench_messages\{state="succeeded"\} \d+/);
      expect(text).toMatch(/hookbench_attempt_duration_seconds_count\{result="succeeded"\} [1-9]/);
      expect(text).toContain('hookbench_ingest_lag_seconds 0');
    });

    it('/readyz says 503 and why when a migration is missing', async () => {
      const t = await setup(kind);
      expect((await fetch(`${t.url}/readyz`)).status).toBe(200);
      await t.sql('DELETE FROM schema_migrations WHERE idx = (SELECT max(idx) FROM schema_migrations)');
      const res = await fetch(`${t.url}/readyz`);
      expect(res.status).toBe(503);
      const body = (await res.json()) as { ready: boolean; checks: { migrations: string } };
      expect(body.ready).toBe(false);
      expect(body.checks.migrations).toMatch(/^not applied: \d{4}_\w+/);
    });
  });
});
