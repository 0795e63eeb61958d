import Database from 'better-sqlite3';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { describe, expect, it, onTestFinished } from 'vitest';
import type { EndpointSecret, InboxCreated, PackageCreated } from '../../src/shared/types';
import { tempDataDir } from '../helpers/data-dir';
import { cliInProcess } from '../helpers/in-process-cli';
import { seedActivity, seedAttempts, seedDeliveries, seedReleases } from '../helpers/seed-rows';
import { HOOKBENCH_BIN, startServe } from '../helpers/serve-process';

interface Paged {
  items: { id: number }[];
  nextCursor: string | null;
}

async function cli(dir: string, ...args: string[]) {
  const run = await cliInProcess([...args, '--data-dir', dir, '--json']);
  if (run.code !== 0) throw new Error(`hookbench ${args.join(' ')} exited ${run.code}: ${run.stderr}`);
  return JSON.parse(run.stdout) as unknown;
}

/** Follows the cursors from the first page to the last; `between` runs after each page. */
async function walk(dir: string, args: string[], between: () => unknown = () => undefined): Promise<{ ids: number[]; pages: number }> {
  const ids: number[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const page = (await cli(dir, ...args, ...(cursor ? ['--cursor', cursor] : []))) as Paged;
    ids.push(...page.items.map((i) => i.id));
    cursor = page.nextCursor;
    pages++;
    await between();
  } while (cursor);
  return { ids, pages };
}

const idsIn = (dir: string, sql: string, ...params: unknown[]): number[] => {
  const db = new Database(join(dir, 'hookbench.sqlite'), { readonly: true });
  try {
    return (db.prepare(sql).all(...params) as { id: number }[]).map((r) => r.id);
  } finally {
    db.close();
  }
};

/** A data dir with a package, an inbox and an endpoint, made as a user makes them. */
async function setUp() {
  const dir = tempDataDir();
  const pkg = (await cli(dir, 'package', 'add', '--provider', 'github', '--repo', 'octo/widgets', '--repo-id', '4242')) as PackageCreated;
  const inbox = (await cli(dir, 'inbox', 'add', '--name', 'payments', '--dialect', 'none')) as InboxCreated;
  const endpoint = (await cli(dir, 'endpoint', 'add', '--name', 'sink', '--url', 'http://127.0.0.1:9/hooks', '--dialect', 'standard-webhooks', '--events', 'release.published')) as EndpointSecret;
  return { dir, pkg, inbox, endpoint };
}

describe('every list reaches every row, a page at a time', () => {
  it('delivery list, activity, endpoint attempts and messages, releases and inbox captures each give every row exactly once across pages', async () => {
    const { dir, pkg, inbox, endpoint } = await setUp();
    seedDeliveries(dir, inbox.id, 130);
    seedDeliveries(dir, pkg.hookUrl.split('/').at(-1)!, 120, () => ({ packageId: pkg.id, event: 'push' }));
    seedActivity(dir, 230);
    seedAttempts(dir, endpoint.id, 210);
    seedReleases(dir, pkg.id, 205);

    const lists: [string[], string][] = [
      [['delivery', 'list'], 'SELECT id FROM deliveries'],
      [['activity'], 'SELECT id FROM activity'],
      [['endpoint', 'attempts', endpoint.id], 'SELECT id FROM attempts'],
      [['endpoint', 'messages', endpoint.id], 'SELECT id FROM messages'],
      [['release', 'list', '--package', pkg.id], 'SELECT id FROM releases'],
      [['inbox', 'captures', inbox.id], `SELECT id FROM deliveries WHERE hook_id = '${inbox.id}'`],
    ];
    for (const [args, sql] of lists) {
      const stored = idsIn(dir, `${sql} ORDER BY id DESC`);
      expect(stored.length, args.join(' ')).toBeGreaterThan(100);
      const { ids, pages } = await walk(dir, [...args, '--limit', '40']);
      expect(pages, args.join(' ')).toBe(Math.ceil(stored.length / 40));
      // Newest first, each row once, none missing.
      expect(ids, args.join(' ')).toEqual(stored);
    }

    // Without --limit a page is 100 rows, and the human table ends with how to read on.
    const human = await cliInProcess(['delivery', 'list', '--data-dir', dir]);
    const next = /More: the same command with --cursor (\S+)/.exec(human.stdout)?.[1];
    expect(human.stdout.trim().split('\n')).toHaveLength(1 + 100 + 1);
    const second = (await cli(dir, 'delivery', 'list', '--cursor', next!)) as Paged;
    expect(second.items[0]!.id).toBe(idsIn(dir, 'SELECT id FROM deliveries ORDER BY id DESC')[100]);
  });

  it('reads every row that was there exactly once while new rows keep arriving through the receiver', async () => {
    const dir = tempDataDir();
    const serve = await startServe(dir);
    onTestFinished(async () => {
      await serve.stop();
    });
    const inbox = (await cli(dir, 'inbox', 'add', '--name', 'busy', '--dialect', 'none')) as InboxCreated;
    seedDeliveries(dir, inbox.id, 200);
    const before = idsIn(dir, 'SELECT id FROM deliveries ORDER BY id DESC');
    let sent = 0;
    const arrive = async () => {
      for (let i = 0; i < 5; i++) {
        const res = await fetch(`${inbox.url}/new/${sent++}`, { method: 'POST', body: '{"late":true}' });
        expect(res.status).toBe(200);
      }
    };
    const { ids } = await walk(dir, ['inbox', 'captures', inbox.id, '--limit', '30'], arrive);
    expect(sent).toBeGreaterThanOrEqual(35);
    // Rows that arrive after the first page are above it: the walk never meets them, and never a row twice.
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.filter((id) => before.includes(id))).toEqual(before);
    expect(ids.slice(0, 30)).toEqual(before.slice(0, 30));
  });

  it('--all --json streams every row as NDJSON, one object a line; --all alone prints one table of every row', async () => {
    const { dir, inbox } = await setUp();
    seedDeliveries(dir, inbox.id, 5000, (i) => ({ event: `evt.${i}` }));
    const stored = idsIn(dir, 'SELECT id FROM deliveries ORDER BY id DESC');

    const child = spawn(process.execPath, [HOOKBENCH_BIN, 'delivery', 'list', '--all', '--json', '--limit', '500', '--data-dir', dir], { stdio: ['ignore', 'pipe', 'pipe'] });
    const lines: string[] = [];
    for await (const line of createInterface({ input: child.stdout })) lines.push(line);
    const code = await new Promise<number | null>((resolve) => (child.exitCode !== null ? resolve(child.exitCode) : child.once('exit', resolve)));
    expect(code).toBe(0);
    const rows = lines.map((line) => JSON.parse(line) as { id: number; event: string });
    expect(rows.map((r) => r.id)).toEqual(stored);
    expect(rows[0]).toMatchObject({ event: 'evt.4999', verdict: 'unchecked' });

    // Human --all: one header, then every row.
    const human = await cliInProcess(['inbox', 'captures', inbox.id, '--all', '--limit', '700', '--data-dir', dir]);
    const text = human.stdout.trim().split('\n');
    expect(text[0]).toMatch(/^ID\s+RECEIVED/);
    expect(text).toHaveLength(1 + 5000);
    expect(human.stdout).not.toContain('--cursor');
  });

  it('inbox captures --event and --verdict list only what matches, across pages', async () => {
    const { dir, inbox } = await setUp();
    seedDeliveries(dir, inbox.id, 150, (i) => ({ event: i % 3 === 0 ? 'charge.succeeded' : 'customer.created', verdict: i % 2 === 0 ? 'valid' : 'invalid' }));
    const both = idsIn(dir, `SELECT id FROM deliveries WHERE event LIKE '%charge%' AND verdict = 'invalid' ORDER BY id DESC`);
    const { ids } = await walk(dir, ['inbox', 'captures', inbox.id, '--event', 'charge', '--verdict', 'invalid', '--limit', '10']);
    expect(both.length).toBe(25);
    expect(ids).toEqual(both);

    const bad = await cliInProcess(['inbox', 'captures', inbox.id, '--verdict', 'maybe', '--data-dir', dir]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--verdict must be one of valid, invalid, missing, unchecked');
  });

  it('refuses a cursor that is not one, or one another list gave, saying so', async () => {
    const { dir, endpoint, inbox } = await setUp();
    seedAttempts(dir, endpoint.id, 3);
    const page = (await cli(dir, 'endpoint', 'attempts', endpoint.id, '--limit', '1')) as Paged;
    expect(page.nextCursor).not.toBeNull();

    const garbage = await cliInProcess(['delivery', 'list', '--cursor', 'not-a-cursor', '--data-dir', dir]);
    expect(garbage.code).toBe(1);
    expect(garbage.stderr).toContain('Invalid cursor "not-a-cursor"');
    const foreign = await cliInProcess(['inbox', 'captures', inbox.id, '--cursor', page.nextCursor!, '--data-dir', dir]);
    expect(foreign.code).toBe(1);
    expect(foreign.stderr).toContain('That cursor belongs to the list of attempts, not of captures.');
  });
});
