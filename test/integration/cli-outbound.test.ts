import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Diagnosis, EndpointSecret, SignedRequest } from '../../src/shared/types';
import { tempDataDir } from '../helpers/data-dir';
import { ENGINE_KINDS, engineSites } from '../helpers/engine-sites';
import { startSink } from '../helpers/sink';
import { waitUntil } from '../helpers/wait-until';

const json = <T>(text: string) => JSON.parse(text) as T;

const startSite = engineSites();

// On both stores: the CLI on a data dir, and through --server on a team server.
describe.each(ENGINE_KINDS)('%s store', (kind) => {
  // Up to a dozen CLI processes a test, one after another, on a machine that may be busy.
  describe('hookbench CLI: endpoints, trigger, sign and verify', { timeout: 90_000 }, () => {
    it('adds an endpoint, triggers a catalogue event to it and prints the attempt', async () => {
      const site = await startSite(kind);
      const sink = await startSink(() => ({ status: 202, body: 'queued' }));
      const added = await site.cli('endpoint', 'add', '--name', 'Sigma', '--url', sink.url, '--dialect', 'sigmagit', '--events', 'push,issues.opened', '--json');
      expect(added.code).toBe(0);
      const ep = json<EndpointSecret>(added.stdout);
      const listed = await site.cli('endpoint', 'list', '--json');
      expect(listed.stdout).not.toContain(ep.secret);
      const fired = await site.cli('trigger', '--endpoint', ep.id, '--event', 'issues.opened', '--json');
      expect(fired.code).toBe(0);
      const { attempt } = json<{ attempt: { status: number; succeeded: boolean; responseBody: string } }>(fired.stdout);
      expect(attempt).toMatchObject({ status: 202, succeeded: true, responseBody: 'queued' });
      expect(sink.received[0]!.header('x-sigmagit-event')).toBe('issues.opened');
      const attempts = await site.cli('endpoint', 'attempts', ep.id);
      expect(attempts.stdout).toMatch(/202/);
    });

    it('sends a trigger --count beside a running serve once each, without taking over the sends serve has in flight', async () => {
      // The site's engine is the running serve: on a data dir an engine beside the CLI, on a team server the server itself.
      const site = await startSite(kind);
      const slowSink = await startSink(() => 'hang');
      const fastSink = await startSink(() => ({ status: 204 }));
      const add = async (name: string, url: string) =>
        json<{ id: string }>(
          (await site.cli('endpoint', 'add', '--name', name, '--url', url, '--dialect', 'standard-webhooks', '--events', 'release.published', '--timeout-ms', '3000', '--json')).stdout,
        ).id;
      const slow = await add('slow', slowSink.url);
      const fast = await add('fast', fastSink.url);
      // serve sends this one and waits on it while the CLI runs.
      await site.engine.invoke('endpoints.trigger', { id: slow, event: 'release.published' });
      await waitUntil(
        async () => slowSink.received.length,
        (n) => n === 1,
      );

      const run = await site.cli('trigger', '--endpoint', fast, '--event', 'release.published', '--count', '12', '--json');
      expect(run.code, run.stderr).toBe(0);
      expect(json<{ sent: number; succeeded: number }>(run.stdout)).toMatchObject({ sent: 12, succeeded: 12 });
      const ids = fastSink.received.map((r) => r.header('webhook-id'));
      expect(new Set(ids).size).toBe(12);
      expect(ids).toHaveLength(12);
      // The send serve had in flight was left to serve: the slow sink saw it once, not again from the CLI.
      expect(slowSink.received).toHaveLength(1);
    });

    it('refuses endpoint options it would otherwise ignore, and takes a template alone as the template format', async () => {
      const site = await startSite(kind);
      const dir = tempDataDir();
      const base = ['endpoint', 'add', '--name', 'e', '--url', 'http://127.0.0.1:9/x', '--dialect', 'standard-webhooks', '--events', 'release.published'];
      const refused = async (args: string[], says: string, code = 2) => {
        const res = await site.cli(...args);
        expect(res.code).toBe(code);
        expect(res.stderr).toContain(says);
      };
      await refused([...base, '--retry', '5,,5'], '--retry takes seconds');
      await refused([...base, '--secret', 'whsec_'], 'Not a Standard Webhooks (Svix) secret', 1);
      await refused([...base, '--relay-package', 'pkg_nope'], 'No package with id pkg_nope', 1);
      await refused([...base, '--relay-mode', 'resign'], '--relay-mode goes with --relay-package');
      await refused([...base, '--template-file', join(dir, 'missing.txt')], 'Cannot read --template-file');
      await refused([...base, '--format', 'slack', '--template', '{{event}}'], 'go with --format template');

      const added = await site.cli(...base, '--template', '{"e":"{{event}}"}', '--json');
      expect(added.code).toBe(0);
      const { id } = json<{ id: string }>(added.stdout);
      const shown = json<{ format: string; template: string }>((await site.cli('endpoint', 'show', id, '--json')).stdout);
      expect(shown).toMatchObject({ format: 'template', template: '{"e":"{{event}}"}' });
      await refused(['endpoint', 'update', id, '--secret', 'whsec_x'], 'endpoint rotate-secret');
    });

    it("keeps a disabled endpoint's messages waiting, says so, and sends them once it is enabled", async () => {
      const site = await startSite(kind);
      const sink = await startSink();
      const { id } = json<{ id: string }>((await site.cli('endpoint', 'add', '--name', 'off', '--url', sink.url, '--dialect', 'privato', '--events', 'release.published', '--json')).stdout);
      const disabled = await site.cli('endpoint', 'disable', id, '--reason', 'receiver down for maintenance');
      expect(disabled.stdout).toContain(`new events keep queuing and are sent once you run "hookbench endpoint enable ${id}"`);
      const sent = await site.cli('trigger', '--endpoint', id, '--event', 'release.published');
      expect(sent.code).toBe(0);
      expect(sent.stdout).toContain('is queued and waits: the endpoint is disabled (receiver down for maintenance)');
      expect(sink.received).toHaveLength(0);
      const shown = await site.cli('endpoint', 'show', id);
      expect(shown.stdout).toContain('1 message(s) wait;');
      expect((await site.cli('endpoint', 'messages', id)).stdout).toContain('waiting: endpoint disabled');
      expect((await site.cli('fixture', 'save', '--library', 'github-example/check_run/1')).code).toBe(0);
      const fired = await site.cli('fixture', 'fire', '1', '--endpoint', id);
      expect(fired.stdout).toContain(`It waits: the endpoint is disabled (receiver down for maintenance) until "hookbench endpoint enable ${id}".`);
      const load = await site.cli('trigger', '--endpoint', id, '--event', 'release.published', '--count', '5');
      expect(load.code).toBe(1);
      expect(load.stderr).toContain(`enable it first with "hookbench endpoint enable ${id}". Nothing was queued.`);
      const resent = await site.cli('endpoint', 'resend-failed', id, '--since', '1h');
      expect(resent.code).toBe(0);
      expect(resent.stdout).toContain(`so they wait until "hookbench endpoint enable ${id}"`);

      const enabled = await site.cli('endpoint', 'enable', id);
      expect(enabled.stdout).toContain('2 waiting message(s) go out now');
      await sink.waitFor(2);
      expect(sink.received).toHaveLength(2);
    });

    it('refuses an endpoint without events, naming the option', async () => {
      const res = await (await startSite(kind)).cli('endpoint', 'add', '--name', 'x', '--url', 'http://127.0.0.1:1', '--dialect', 'privato');
      expect(res.code).toBe(2);
      expect(res.stderr).toMatch(/--events is required/);
    });

    it('signs a body and explains a verification with the wrong secret', async () => {
      const site = await startSite(kind);
      const dir = tempDataDir();
      const body = join(dir, 'body.json');
      writeFileSync(body, '{"type":"release.published","data":{"tag":"v1.0.0"}}');
      const signed = await site.cli('sign', '--dialect', 'standard-webhooks', '--secret', 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', '--body-file', body, '--id', 'msg_1', '--json');
      expect(signed.code).toBe(0);
      const { headers, curl } = json<SignedRequest>(signed.stdout);
      expect(headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/=]{44}$/);
      expect(curl).toContain("-H 'webhook-id: msg_1'");
      // The printed command runs as it is: it reads the body from the file that was signed.
      expect(curl).toContain(`--data-binary '@${body}'`);
      const headersFile = join(dir, 'headers.txt');
      writeFileSync(
        headersFile,
        Object.entries(headers)
          .map(([k, v]) => `${k}: ${v}`)
          .join('\n'),
      );

      const ok = await site.cli('verify', '--headers-file', headersFile, '--body-file', body, '--secret', 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', '--json');
      expect(ok.code).toBe(0);
      expect(json<Diagnosis>(ok.stdout)).toMatchObject({ dialect: 'standard-webhooks', verdict: 'valid' });

      const bad = await site.cli('verify', '--headers-file', headersFile, '--body-file', body, '--secret', 'whsec_' + Buffer.alloc(24, 7).toString('base64'));
      expect(bad.code).toBe(1);
      expect(bad.stdout).toMatch(/Verdict:\s+invalid — wrong secret/);
      expect(bad.stdout).toMatch(/Fix:/);

      const broken = join(dir, 'broken.json');
      writeFileSync(broken, '{"webhook-id": "msg_1",');
      const unreadable = await site.cli('verify', '--headers-file', broken, '--body-file', body, '--secret', 'x');
      expect(unreadable.code).toBe(2);
      expect(unreadable.stderr).toContain('not valid JSON');
    });
  });
});
