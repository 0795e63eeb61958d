import { describe, expect, it } from 'vitest';
import type { AttemptView, EndpointSecret, MessageView } from '../../src/shared/types';
import { tempDataDir } from '../helpers/data-dir';
import { runCli } from '../helpers/serve-process';
import { ENGINE_KINDS, engineSites } from '../helpers/engine-sites';
import { startSink } from '../helpers/sink';
import { waitUntil } from '../helpers/wait-until';

const json = <T>(text: string) => JSON.parse(text) as T;
type Sent = { message: MessageView; attempt: AttemptView };

const startSite = engineSites();

// Every behaviour on both stores: the desktop's SQLite data dir and a team server's PostgreSQL database.
describe.each(ENGINE_KINDS)('%s store', (kind) => {
  describe('hookbench message resend', () => {
    it('numbers a resend as the next attempt, marked manual, and starts no new count', async () => {
      const dir = tempDataDir();
      const sink = await startSink(() => ({ status: 200 }));
      const ep = json<EndpointSecret>(
        (await runCli(['endpoint', 'add', '--name', 'Resend', '--url', sink.url, '--dialect', 'standard-webhooks', '--events', 'release.published', '--data-dir', dir, '--json'])).stdout,
      );
      const fired = json<Sent>((await runCli(['trigger', '--endpoint', ep.id, '--event', 'release.published', '--data-dir', dir, '--json'])).stdout);
      expect(fired.attempt).toMatchObject({ attemptNo: 1, trigger: 'scheduled' });

      const first = await runCli(['message', 'resend', String(fired.message.id), '--data-dir', dir, '--json']);
      expect(first.code).toBe(0);
      expect(json<Sent>(first.stdout).attempt).toMatchObject({ attemptNo: 2, trigger: 'manual', succeeded: true });
      const second = await runCli(['message', 'resend', String(fired.message.id), '--data-dir', dir]);
      expect(second.stdout).toMatch(/\b3\s+manual\b/);

      const attempts = json<{ items: AttemptView[] }>((await runCli(['endpoint', 'attempts', ep.id, '--data-dir', dir, '--json'])).stdout).items;
      expect(attempts.map((a) => [a.attemptNo, a.trigger])).toEqual([
        [3, 'manual'],
        [2, 'manual'],
        [1, 'scheduled'],
      ]);
      expect(new Set(sink.received.map((r) => r.header('webhook-id')))).toEqual(new Set([fired.message.messageId]));
    });

    it('gives a resent message its whole retry schedule again, numbering on from the attempts before', async () => {
      const { engine } = await startSite(kind);
      const sink = await startSink(() => ({ status: 503 }));
      const ep = (await engine.invoke('endpoints.add', { name: 'down', url: sink.url, dialect: 'standard-webhooks', events: ['release.published'], retryDelays: [0] })) as EndpointSecret;
      const message = (await engine.invoke('endpoints.trigger', { id: ep.id, event: 'release.published' })) as MessageView;
      const attempts = () => engine.invoke('endpoints.attempts', { id: ep.id, limit: 20 }) as Promise<AttemptView[]>;
      const failed = () => engine.invoke('endpoints.messages', { id: ep.id, limit: 5 }) as Promise<MessageView[]>;
      // The first send and its one retry, then the message fails.
      await waitUntil(failed, (list) => list[0]?.state === 'failed');
      expect((await attempts()).map((a) => [a.attemptNo, a.trigger])).toEqual([
        [2, 'scheduled'],
        [1, 'scheduled'],
      ]);
      await engine.invoke('messages.resend', { id: message.id });
      // Sent by hand, then retried once more on the schedule, which started over from the resend.
      await waitUntil(attempts, (list) => list.length === 4);
      await waitUntil(failed, (list) => list[0]?.state === 'failed');
      expect((await attempts()).map((a) => [a.attemptNo, a.trigger])).toEqual([
        [4, 'scheduled'],
        [3, 'manual'],
        [2, 'scheduled'],
        [1, 'scheduled'],
      ]);
      expect((await failed())[0]).toMatchObject({ attemptCount: 4, state: 'failed' });
    });
  });
});
