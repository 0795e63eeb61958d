import { createServer } from 'node:net';
import { describe, expect, it, onTestFinished } from 'vitest';
import type { AttemptView, EndpointSecret, EndpointSummary, MessageView } from '../../src/shared/types';
import { ENGINE_KINDS, engineSites, type SiteEngine } from '../helpers/engine-sites';
import { startSink } from '../helpers/sink';

type Engine = SiteEngine;

const add = async (engine: Engine, params: Record<string, unknown>) => (await engine.invoke('endpoints.add', { name: 'edge', ...params })) as EndpointSecret;
const attemptsOf = async (engine: Engine, id: string) => ((await engine.invoke('endpoints.attempts', { id, limit: 100 })) as AttemptView[]).reverse();
const messagesOf = async (engine: Engine, id: string) => (await engine.invoke('endpoints.messages', { id, limit: 10 })) as MessageView[];
const attemptFor = (engine: Engine, endpointId: string, n = 1) => {
  let seen = 0;
  return engine.bus.waitFor((e): e is Extract<typeof e, { type: 'attempt' }> => e.type === 'attempt' && e.attempt.endpointId === endpointId && ++seen === n);
};

/** A port nothing listens on: bind, note it, close. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

const startSite = engineSites();

// Every behaviour on both stores: the desktop's SQLite data dir and a team server's PostgreSQL database.
describe.each(ENGINE_KINDS)('%s store', (kind) => {
  describe('dispatcher at the edges', () => {
    it('drops the answer to a send whose endpoint was removed meanwhile, and still records the others', async () => {
      const { engine } = await startSite(kind);
      const errors: unknown[] = [];
      const original = console.error;
      console.error = (...args: unknown[]) => void errors.push(args);
      onTestFinished(() => void (console.error = original));
      const hanging = await startSink(() => 'hang');
      const fine = await startSink(() => ({ status: 204 }));
      const gone = await add(engine, { url: hanging.url, dialect: 'privato', events: ['release.published'], timeoutMs: 400 });
      const kept = await add(engine, { url: fine.url, dialect: 'privato', events: ['release.published'], timeoutMs: 400 });
      await engine.invoke('endpoints.trigger', { id: gone.id, event: 'release.published' });
      await hanging.waitFor(1);
      await engine.invoke('endpoints.remove', { id: gone.id });
      const done = attemptFor(engine, kept.id);
      await engine.invoke('endpoints.trigger', { id: kept.id, event: 'release.published' });
      await done;
      await engine.dispatcher.settle();
      expect(await attemptsOf(engine, kept.id)).toEqual([expect.objectContaining({ status: 204, succeeded: true })]);
      expect(errors).toEqual([]);
    });

    it('records a timeout when the sink hangs, and schedules a retry', async () => {
      const { engine } = await startSite(kind);
      const sink = await startSink(() => 'hang');
      const ep = await add(engine, { url: sink.url, dialect: 'privato', events: ['release.published'], timeoutMs: 300 });
      const done = attemptFor(engine, ep.id);
      await engine.invoke('endpoints.trigger', { id: ep.id, event: 'release.published' });
      const { attempt } = await done;
      expect(attempt).toMatchObject({ status: null, succeeded: false });
      expect(attempt.error).toMatch(/timed out after 300 ms/);
      await engine.dispatcher.settle();
      const [message] = await messagesOf(engine, ep.id);
      expect(message).toMatchObject({ state: 'pending', attemptCount: 1 });
      expect(message!.lastError).toMatch(/Next attempt in 10 s/);
    });

    it('retries when the connection is refused', async () => {
      const { engine } = await startSite(kind);
      const ep = await add(engine, { url: `http://127.0.0.1:${await closedPort()}/`, dialect: 'privato', events: ['release.published'], retryDelays: [0] });
      const second = attemptFor(engine, ep.id, 2);
      await engine.invoke('endpoints.trigger', { id: ep.id, event: 'release.published' });
      await second;
      await engine.dispatcher.settle();
      const attempts = await attemptsOf(engine, ep.id);
      expect(attempts.map((a) => a.error)).toEqual([expect.stringMatching(/ECONNREFUSED/), expect.stringMatching(/ECONNREFUSED/)]);
      expect((await messagesOf(engine, ep.id))[0]!.state).toBe('failed');
    });

    it('keeps at most 64 KiB of a huge response', async () => {
      const { engine } = await startSite(kind);
      const sink = await startSink(() => ({ status: 200, body: 'x'.repeat(1024 * 1024) }));
      const ep = await add(engine, { url: sink.url, dialect: 'privato', events: ['release.published'] });
      const done = attemptFor(engine, ep.id);
      await engine.invoke('endpoints.trigger', { id: ep.id, event: 'release.published' });
      const { attempt } = await done;
      expect(attempt.responseBody.length).toBe(64 * 1024);
      expect(attempt.responseTruncated).toBe(true);
      expect(attempt.succeeded).toBe(true);
    });

    it('refuses URLs that are not http(s) or not URLs at all', async () => {
      const { engine } = await startSite(kind);
      await expect(add(engine, { url: 'ftp://example.com/hook', dialect: 'privato', events: ['release.published'] })).rejects.toThrow(/must be http or https/);
      await expect(add(engine, { url: 'not a url', dialect: 'privato', events: ['release.published'] })).rejects.toThrow(/url/i);
    });

    it('posts readable Slack and Discord messages, and fills custom templates safely', async () => {
      const { engine } = await startSite(kind);
      const sink = await startSink();
      const slack = await add(engine, { url: `${sink.url}/slack`, dialect: 'standard-webhooks', events: ['release.published'], format: 'slack' });
      const discord = await add(engine, { url: `${sink.url}/discord`, dialect: 'standard-webhooks', events: ['release.published'], format: 'discord' });
      const custom = await add(engine, {
        url: `${sink.url}/custom`,
        dialect: 'privato',
        events: ['release.published'],
        format: 'template',
        template: '{"say": "{{package.name}} {{release.version}}", "id": "{{messageId}}"}',
      });
      for (const ep of [slack, discord, custom]) await engine.invoke('endpoints.trigger', { id: ep.id, event: 'release.published' });
      await sink.waitFor(3);
      const body = (path: string) => JSON.parse(sink.received.find((r) => r.path === path)!.body.toString()) as Record<string, unknown>;
      expect(body('/slack').text).toBe('Release 1.4.2 of acme/widget-sdk published (tag v1.4.2).');
      expect(body('/discord')).toMatchObject({ content: expect.stringContaining('1.4.2'), embeds: [expect.objectContaining({ title: 'acme/widget-sdk 1.4.2' })] });
      expect(body('/custom')).toMatchObject({ say: 'acme/widget-sdk 1.4.2', id: expect.stringMatching(/^msg_/) });
      await expect(add(engine, { url: sink.url, dialect: 'privato', events: ['release.published'], format: 'template' })).rejects.toThrow(/needs a template/);
    });

    it('reports success rate, latency percentiles and last status per endpoint', async () => {
      const { engine } = await startSite(kind);
      const sink = await startSink((_r, n) => ({ status: n % 2 ? 200 : 500 }));
      const ep = await add(engine, { url: sink.url, dialect: 'privato', events: ['release.published'], retryDelays: [] });
      for (let i = 0; i < 4; i++) {
        const done = attemptFor(engine, ep.id);
        await engine.invoke('endpoints.trigger', { id: ep.id, event: 'release.published' });
        await done;
      }
      await engine.dispatcher.settle();
      const { stats } = (await engine.invoke('endpoints.get', { id: ep.id })) as EndpointSummary;
      expect(stats).toMatchObject({ attempts: 4, succeeded: 2, successRate: 0.5, lastStatus: 500, failedMessages: 2 });
      expect(stats.p99Ms).toBeGreaterThanOrEqual(stats.p50Ms!);
    });
  });
});
