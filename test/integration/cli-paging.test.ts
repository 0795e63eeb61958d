import { describe, expect, it } from 'vitest';
import type { EndpointSecret, InboxCreated, PackageCreated } from '../../src/shared/types';
import { ENGINE_KINDS, engineSites, type Site } from '../helpers/engine-sites';
import { seedRowsOn } from '../helpers/site-seed-rows';

interface Paged {
  items: { id: number }[];
  nextCursor: string | null;
}

const startSite = engineSites();

async function cli(site: Site, ...args: string[]) {
  const run = await site.cliHere(...args, '--json');
  if (run.code !== 0) throw new Error(`hookbench ${args.join(' ')} exited ${run.code}: ${run.stderr}`);
  return JSON.parse(run.stdout) as unknown;
}

/** Follows the cursors from the first page to the last; `between` runs after each page. */
async function walk(site: Site, args: string[], between: () => unknown = () => undefined): Promise<{ ids: number[]; pages: number }> {
  const ids: number[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const page = (await cli(site, ...args, ...(cursor ? ['--cursor', cursor] : []))) as Paged;
    ids.push(...page.items.map((i) => i.id));
    cursor = page.nextCursor;
    pages++;
    await between();
  } while (cursor);
  return { ids, pages };
}

/** Every stored row's id, newest first, read in one call of the engine API (not through the pages under test). */
const newestFirst = async (rows: Promise<unknown>): Promise<number[]> => ((await rows) as { id: number }[]).map((r) => r.id).sort((a, b) => b - a);

/** A site with a package, an inbox and an endpoint, made as a user makes them. */
async function setUp(kind: (typeof ENGINE_KINDS)[number]) {
  const site = await startSite(kind);
  const pkg = (await cli(site, 'package', 'add', '--provider', 'github', '--repo', 'octo/widgets', '--repo-id', '4242')) as PackageCreated;
  const inbox = (await cli(site, 'inbox', 'add', '--name', 'payments', '--dialect', 'none')) as InboxCreated;
  const endpoint = (await cli(site, 'endpoint', 'add', '--name', 'sink', '--url', 'http://127.0.0.1:9/hooks', '--dialect', 'standard-webhooks', '--events', 'release.published')) as EndpointSecret;
  return { site, seed: seedRowsOn(site.place), pkg, inbox, endpoint };
}

// On both stores: the CLI on a data dir, and through --server on a team server.
describe.each(ENGINE_KINDS)('%s store', (kind) => {
  describe('every list reaches every row, a page at a time', () => {
    it('delivery list, activity, endpoint attempts and messages, releases and inbox captures each give every row exactly once across pages', async () => {
      const { site, seed, pkg, inbox, endpoint } = await setUp(kind);
      const { invoke } = site.engine;
      await seed.deliveries(inbox.id, 130);
      await seed.deliveries(pkg.hookUrl.split('/').at(-1)!, 120, () => ({ packageId: pkg.id, event: 'push' }));
      await seed.activity(230);
      await seed.attempts(endpoint.id, 210);
      await seed.releases(pkg.id, 205);

      const lists: [string[], () => Promise<unknown>][] = [
        [['delivery', 'list'], () => invoke('deliveries.list', { limit: 10_000 })],
        [['activity'], () => invoke('activity.list', { limit: 10_000 })],
        [['endpoint', 'attempts', endpoint.id], () => invoke('endpoints.attempts', { id: endpoint.id, limit: 10_000 })],
        [['endpoint', 'messages', endpoint.id], () => invoke('endpoints.messages', { id: endpoint.id, limit: 10_000 })],
        [['release', 'list', '--package', pkg.id], () => invoke('releases.list', { packageId: pkg.id })],
        [['inbox', 'captures', inbox.id], () => invoke('deliveries.list', { hookId: inbox.id, limit: 10_000 })],
      ];
      for (const [args, read] of lists) {
        const stored = await newestFirst(read());
        expect(stored.length, args.join(' ')).toBeGreaterThan(100);
        const { ids, pages } = await walk(site, [...args, '--limit', '40']);
        expect(pages, args.join(' ')).toBe(Math.ceil(stored.length / 40));
        // Newest first, each row once, none missing.
        expect(ids, args.join(' ')).toEqual(stored);
      }

      // Without --limit a page is 100 rows, and the human table ends with how to read on.
      const human = await site.cliHere('delivery', 'list');
      const next = /More: the same command with --cursor (\S+)/.exec(human.stdout)?.[1];
      expect(human.stdout.trim().split('\n')).toHaveLength(1 + 100 + 1);
      const second = (await cli(site, 'delivery', 'list', '--cursor', next!)) as Paged;
      expect(second.items[0]!.id).toBe((await newestFirst(invoke('deliveries.list', { limit: 10_000 })))[100]);
    });

    it('reads every row that was there exactly once while new rows keep arriving through the receiver', async () => {
      // The site's engine is running beside the CLI: its receiver takes the new rows.
      const site = await startSite(kind);
      const inbox = (await cli(site, 'inbox', 'add', '--name', 'busy', '--dialect', 'none')) as InboxCreated;
      const before = (await seedRowsOn(site.place).deliveries(inbox.id, 200)).reverse();
      let sent = 0;
      const arrive = async () => {
        for (let i = 0; i < 5; i++) {
          const res = await fetch(`${inbox.url}/new/${sent++}`, { method: 'POST', body: '{"late":true}' });
          expect(res.status).toBe(200);
        }
      };
      const { ids } = await walk(site, ['inbox', 'captures', inbox.id, '--limit', '30'], arrive);
      expect(sent).toBeGreaterThanOrEqual(35);
      // Rows that arrive after the first page are above it: the walk never meets them, and never a row twice.
      expect(new Set(ids).size).toBe(ids.length);
      expect(ids.filter((id) => before.includes(id))).toEqual(before);
      expect(ids.slice(0, 30)).toEqual(before.slice(0, 30));
    });

    it('--all --json streams every row as NDJSON, one object a line; --all alone prints one table of every row', async () => {
      const { site, seed, inbox } = await setUp(kind);
      await seed.deliveries(inbox.id, 5000, (i) => ({ event: `evt.${i}` }));
      const stored = await newestFirst(site.engine.invoke('deliveries.list', { limit: 10_000 }));

      // A process of its own, its standard output read line by line.
      const streamed = await site.cli('delivery', 'list', '--all', '--json', '--limit', '500');
      expect(streamed.code).toBe(0);
      const rows = streamed.stdout
        .split('\n')
        .filter((line) => line !== '')
        .map((line) => JSON.parse(line) as { id: number; event: string });
      expect(rows.map((r) => r.id)).toEqual(stored);
      expect(rows[0]).toMatchObject({ event: 'evt.4999', verdict: 'unchecked' });

      // Human --all: one header, then every row.
      const human = await site.cliHere('inbox', 'captures', inbox.id, '--all', '--limit', '700');
      const text = human.stdout.trim().split('\n');
      expect(text[0]).toMatch(/^ID\s+RECEIVED/);
      expect(text).toHaveLength(1 + 5000);
      expect(human.stdout).not.toContain('--cursor');
    });

    it('inbox captures --event and --verdict list only what matches, across pages', async () => {
      const { site, seed, inbox } = await setUp(kind);
      const row = (i: number) => ({ event: i % 3 === 0 ? 'charge.succeeded' : 'customer.created', verdict: i % 2 === 0 ? 'valid' : 'invalid' });
      const seeded = await seed.deliveries(inbox.id, 150, row);
      const both = seeded.filter((_, i) => row(i).event.includes('charge') && row(i).verdict === 'invalid').reverse();
      const { ids } = await walk(site, ['inbox', 'captures', inbox.id, '--event', 'charge', '--verdict', 'invalid', '--limit', '10']);
      expect(both.length).toBe(25);
      expect(ids).toEqual(both);

      const bad = await site.cliHere('inbox', 'captures', inbox.id, '--verdict', 'maybe');
      expect(bad.code).toBe(2);
      expect(bad.stderr).toContain('--verdict must be one of valid, invalid, missing, unchecked');
    });

    it('refuses a cursor that is not one, or one another list gave, saying so', async () => {
      const { site, seed, endpoint, inbox } = await setUp(kind);
      await seed.attempts(endpoint.id, 3);
      const page = (await cli(site, 'endpoint', 'attempts', endpoint.id, '--limit', '1')) as Paged;
      expect(page.nextCursor).not.toBeNull();

      const garbage = await site.cliHere('delivery', 'list', '--cursor', 'not-a-cursor');
      expect(garbage.code).toBe(1);
      expect(garbage.stderr).toContain('Invalid cursor "not-a-cursor"');
      const foreign = await site.cliHere('inbox', 'captures', inbox.id, '--cursor', page.nextCursor!);
      expect(foreign.code).toBe(1);
      expect(foreign.stderr).toContain('That cursor belongs to the list of attempts, not of captures.');
    });
  });
});
