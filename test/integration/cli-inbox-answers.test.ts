import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { InboxAnswer, InboxTimelineEntry } from '../../src/shared/inbox-types';
import type { DeliverySummary, InboxCreated } from '../../src/shared/types';
import { tempDataDir } from '../helpers/data-dir';
import { ENGINE_KINDS, engineSites } from '../helpers/engine-sites';
import { servedSite } from '../helpers/served-site';

const json = <T>(text: string) => JSON.parse(text) as T;

const startSite = engineSites();

// On both stores: the CLI on a data dir (beside a running serve where it says so), and through --server on a team server.
describe.each(ENGINE_KINDS)('%s store', (kind) => {
  describe('hookbench inbox respond | timeline | rotate', () => {
    it('programs the answer of an inbox a running serve gives, and reads each event as a timeline', async () => {
      const { cli } = await servedSite(startSite, kind);
      const inbox = json<InboxCreated>((await cli('inbox', 'add', '--name', 'gh', '--dialect', 'github', '--json')).stdout);
      const bodyFile = join(tempDataDir(), 'answer.txt');
      writeFileSync(bodyFile, 'nope\n');

      const set = await cli('inbox', 'respond', inbox.id, '--status', '500', '--first', '2', '--header', 'Retry-After: 5', '--header', 'X-Why: a, b', '--body-file', bodyFile);
      expect(set.code).toBe(0);
      expect(set.stdout).toContain(`Inbox ${inbox.id} now answers 500 at once with Retry-After: 5; X-Why: a, b and a 5-byte body to the first 2 arrivals of each event; 200 at once to the rest.`);
      const statuses: number[] = [];
      for (const id of ['d-1', 'd-1', 'd-1', 'd-2']) {
        const res = await fetch(`${inbox.url}/hook`, { method: 'POST', body: '{}', headers: { 'x-github-delivery': id, 'x-github-event': 'ping' } });
        statuses.push(res.status);
        if (res.status === 500) {
          expect(res.headers.get('retry-after')).toBe('5');
          expect(await res.text()).toBe('nope\n');
        }
      }
      expect(statuses).toEqual([500, 500, 200, 500]);

      const shown = await cli('inbox', 'show', inbox.id);
      expect(shown.stdout).toMatch(/answer\s+answers 500 at once .* to the first 2 arrivals of each event; 200 at once to the rest/);
      const captures = json<{ items: DeliverySummary[] }>((await cli('inbox', 'captures', inbox.id, '--json')).stdout).items;
      expect(captures.map((c) => c.statusCode)).toEqual([500, 200, 500, 500]);
      // Numbered in arrival order, repeats included, each taking the next number.
      expect(captures.map((c) => c.id)).toEqual([4, 3, 2, 1]);
      expect((await cli('delivery', 'show', String(captures[3]!.id))).stdout).toContain('Answered 500; outcome captured');

      const human = await cli('inbox', 'timeline', inbox.id);
      expect(human.stdout).toMatch(/^d-1: 3 arrivals \u2014 \+0 s 500, \+\d+\.\d s 500, \+\d+\.\d s 200\nd-2: 1 arrival \u2014 \+0 s 500\n$/);
      const one = json<InboxTimelineEntry[]>((await cli('inbox', 'timeline', inbox.id, '--event-id', 'd-2', '--json')).stdout);
      expect(one).toMatchObject([{ eventId: 'd-2', arrivals: [{ sinceFirstMs: 0, answeredStatus: 500, deliveryId: captures[0]!.id }] }]);

      const hang = await cli('inbox', 'respond', inbox.id, '--hang', '--json');
      expect(json<InboxAnswer>(hang.stdout)).toMatchObject({ hang: true, failFirst: null });
      const reset = await cli('inbox', 'respond', inbox.id, '--reset');
      expect(reset.stdout).toContain('now answers 200 at once, to every arrival.');
      expect((await fetch(inbox.url, { method: 'POST', body: '{}' })).status).toBe(200);
      // A dozen CLI processes beside a serve.
    }, 120_000);

    it('refuses an answer it cannot give, saying why', async () => {
      const { cli } = await startSite(kind);
      const inbox = json<InboxCreated>((await cli('inbox', 'add', '--name', 'x', '--dialect', 'none', '--json')).stdout);
      const nothing = await cli('inbox', 'respond', inbox.id);
      expect(nothing.code).toBe(2);
      expect(nothing.stderr).toMatch(/Nothing to set/);
      expect((await cli('inbox', 'respond', inbox.id, '--ratio', '2')).stderr).toMatch(/--ratio must be a share from 0 to 1/);
      expect((await cli('inbox', 'respond', inbox.id, '--header', 'no colon')).stderr).toMatch(/--header takes "Name: value"/);
      const binary = join(tempDataDir(), 'bin');
      writeFileSync(binary, Buffer.from([0xff, 0xfe, 0x00]));
      expect((await cli('inbox', 'respond', inbox.id, '--body-file', binary)).stderr).toMatch(/is not UTF-8 text/);
      const informational = await cli('inbox', 'respond', inbox.id, '--status', '101');
      expect(informational.code).toBe(1);
      expect(informational.stderr).toMatch(/Status 101 is not a final answer/);
      expect((await cli('inbox', 'show', inbox.id)).stdout).toMatch(/answer\s+answers 200 at once, to every arrival/);
    }, 90_000);

    it('rotates an inbox secret, showing the new one once and how long the previous one verifies', async () => {
      const { cli } = await startSite(kind);
      const inbox = json<InboxCreated>((await cli('inbox', 'add', '--name', 'r', '--dialect', 'repsy', '--json')).stdout);
      const rotated = await cli('inbox', 'rotate', inbox.id, '--overlap', '600');
      expect(rotated.code).toBe(0);
      const secret = /Secret:\s+(\S+)/.exec(rotated.stdout)?.[1];
      expect(secret).toMatch(/^[A-Za-z0-9_-]+$/);
      expect(secret).not.toBe(inbox.secret);
      expect(rotated.stdout).toMatch(/The previous secret still verifies until \d{4}-/);
      const shown = await cli('inbox', 'show', inbox.id);
      expect(shown.stdout).toMatch(/rotation\s+the previous secret still verifies until/);
      expect(shown.stdout).not.toContain(secret!);
    });
  });
});
