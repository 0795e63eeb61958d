import { describe, expect, it } from 'vitest';
import { getDialect } from '../../src/main/engine/dialects';
import { inboxEventQueries } from '../../src/main/engine/inbox/statements';
import type { InboxTimelineEntry } from '../../src/shared/inbox-types';
import type { EndpointSecret, InboxCreated, MessageView } from '../../src/shared/types';
import { startEngine } from '../helpers/engine';
import { ENGINE_KINDS, engineSites, type SiteEngine } from '../helpers/engine-sites';
import { waitUntil } from '../helpers/wait-until';

type Engine = SiteEngine;

const startSite = engineSites();

const timeline = async (engine: Engine, params: Record<string, unknown>) => (await engine.invoke('inboxes.timeline', params)) as InboxTimelineEntry[];
const post = (url: string, body: string, headers: Record<string, string> = {}) => fetch(url, { method: 'POST', body, headers });

// On both stores: the desktop's SQLite data dir and a team server's PostgreSQL database.
describe.each(ENGINE_KINDS)('%s store', (kind) => {
  describe('inbox retry timeline', () => {
    it('lists every arrival of each event with the gap since its first and the status answered', async () => {
      const { engine } = await startSite(kind);
      const inbox = (await engine.invoke('inboxes.add', { name: 'gh', dialect: 'github' })) as InboxCreated;
      await engine.invoke('inboxes.respond', { id: inbox.id, status: 503, failFirst: 1 });
      for (const id of ['d-1', 'd-2', 'd-1', 'd-1']) await post(inbox.url, '{}', { 'x-github-delivery': id, 'x-github-event': 'ping' });

      const entries = await timeline(engine, { id: inbox.id });
      expect(entries.map((e) => [e.eventId, e.arrivals.map((a) => a.answeredStatus)])).toEqual([
        ['d-1', [503, 200, 200]],
        ['d-2', [503]],
      ]);
      const [d1] = entries;
      expect(d1!.arrivals[0]!.sinceFirstMs).toBe(0);
      for (const a of d1!.arrivals) expect(a.sinceFirstMs).toBe(a.receivedAt - d1!.arrivals[0]!.receivedAt);
      expect(d1!.arrivals.map((a) => a.verdict)).toEqual(['missing', 'missing', 'missing']);

      expect((await timeline(engine, { id: inbox.id, eventId: 'd-2' })).map((e) => e.eventId)).toEqual(['d-2']);
      expect(await timeline(engine, { id: inbox.id, eventId: 'never-sent' })).toEqual([]);
      // The latest events, oldest first.
      expect((await timeline(engine, { id: inbox.id, limit: 1 })).map((e) => e.eventId)).toEqual(['d-2']);
      await expect(timeline(engine, { id: 'in_nobody' })).rejects.toThrow(/No inbox with id in_nobody/);
    });

    // The seed's Privato schedule (retries 10 s, then 100 s after that, then gives up) as Hookbench's
    // own dispatcher keeps it, observed at an inbox answering 500. The engine's retryDelayScale option
    // runs the schedule at 1/20 of its pace, so 0, 10, 110 s become 0, 0.5, 5.5 s.
    it("records a Privato sender's retries at 0, 10 and 110 s of its schedule", async () => {
      const scale = 0.05;
      const { engine, receiverUrl } = await startSite(kind, { retryDelayScale: scale });
      expect(getDialect('privato').retry.delaysSeconds).toEqual([10, 100]);
      const inbox = (await engine.invoke('inboxes.add', { name: 'privato', dialect: 'privato' })) as InboxCreated;
      await engine.invoke('inboxes.respond', { id: inbox.id, status: 500 });
      const ep = (await engine.invoke('endpoints.add', {
        name: 'privato',
        url: `${receiverUrl}/in/${inbox.id}`,
        dialect: 'privato',
        events: ['release.published'],
        secret: inbox.secret!,
      })) as EndpointSecret;
      const message = (await engine.invoke('endpoints.trigger', { id: ep.id, event: 'release.published' })) as MessageView;
      const [settled] = await waitUntil(
        async () => ((await engine.invoke('endpoints.messages', { id: ep.id, limit: 10 })) as MessageView[]).filter((m) => m.id === message.id),
        (list) => list[0]?.state === 'failed',
      );
      expect(settled).toMatchObject({ attemptCount: 3, lastStatus: 500 });

      const [entry, ...others] = await timeline(engine, { id: inbox.id });
      expect(others).toEqual([]);
      expect(entry!.arrivals.map((a) => [a.answeredStatus, a.verdict])).toEqual([
        [500, 'valid'],
        [500, 'valid'],
        [500, 'valid'],
      ]);
      const [first, second, third] = entry!.arrivals.map((a) => a.sinceFirstMs);
      const firstRetry = second! - first!;
      const secondRetry = third! - second!;
      // A retry never comes before its delay; what it takes beyond is the answer's commit and the send.
      const slackMs = 750;
      expect(firstRetry).toBeGreaterThanOrEqual(10 * scale * 1000);
      expect(firstRetry).toBeLessThan(10 * scale * 1000 + slackMs);
      expect(secondRetry).toBeGreaterThanOrEqual(100 * scale * 1000);
      expect(secondRetry).toBeLessThan(100 * scale * 1000 + slackMs);
    });
  });
});

describe('inbox retry timeline on a data dir', () => {
  it('reads arrivals through the inbox event index, never scanning the deliveries table', async () => {
    const { engine } = await startEngine();
    for (const query of inboxEventQueries(engine.db)) {
      const params = query.params.map((p) => (typeof p === 'number' ? p : 'x'));
      const plan = (engine.db.$client.prepare(`EXPLAIN QUERY PLAN ${query.sql}`).all(...params) as { detail: string }[]).map((row) => row.detail);
      expect(plan.some((step) => step.startsWith('SEARCH deliveries USING INDEX deliveries_inbox_event (hook_id=?'))).toBe(true);
      expect(plan.filter((step) => step.startsWith('SCAN'))).toEqual([]);
    }
  });
});
