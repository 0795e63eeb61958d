import { randomBytes } from 'node:crypto';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it, onTestFinished } from 'vitest';
import { DATABASE_FILE } from '../../src/main/engine/db/open';
import { openWith } from '../../src/main/engine/secrets/key-file-box';
import type { InboxForwardResult } from '../../src/shared/inbox-types';
import { SEALED_PREFIX } from '../../src/shared/secret-headers';
import type { DeliveryDetail, InboxCreated, SecretsReset } from '../../src/shared/types';
import { tempDataDir } from '../helpers/data-dir';
import { startTarget } from '../helpers/forward-target';
import { githubHeaders } from '../helpers/payloads';
import { runCli, startServe } from '../helpers/serve-process';
import { waitUntil } from '../helpers/wait-until';

const KEY = 'secret.key';
const json = <T>(text: string) => JSON.parse(text) as T;
type Shown = DeliveryDetail & { forwards: InboxForwardResult[] };

/**
 * Every sealed value in the database, found by what is stored rather than by a list of
 * columns: single sealed values and sealed values inside JSON header pairs, in any text column.
 */
function everySealedValue(dataDir: string): string[] {
  const db = new Database(join(dataDir, DATABASE_FILE), { readonly: true });
  try {
    const out: string[] = [];
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '__drizzle%'").pluck().all() as string[];
    for (const table of tables) {
      for (const { name } of db.prepare(`PRAGMA table_info("${table}")`).all() as { name: string }[]) {
        for (const value of db.prepare(`SELECT "${name}" FROM "${table}" WHERE typeof("${name}") = 'text'`).pluck().all() as string[]) {
          if (value.startsWith('aesgcm1:')) out.push(value);
          else if (value.startsWith('[') && value.includes('\\u0000sealed:')) {
            for (const [, v] of json<[string, string][]>(value)) if (v.startsWith(SEALED_PREFIX)) out.push(v.slice(SEALED_PREFIX.length));
          }
        }
      }
    }
    return out;
  } finally {
    db.close();
  }
}

async function capture(url: string, secret: string, delivery: string): Promise<number> {
  const body = JSON.stringify({ zen: 'Keep it logically awesome.', hook_id: 1 });
  const res = await fetch(`${url}/hook`, { method: 'POST', body, headers: await githubHeaders('ping', body, secret, delivery) });
  expect(res.status).toBe(200);
  return res.status;
}

describe('secrets rotate-key with inboxes', () => {
  it("re-seals an inbox's current and previous secrets and a forward's sealed answer headers", async () => {
    const dir = tempDataDir();
    const cli = (...args: string[]) => runCli([...args, '--data-dir', dir]);
    const target = await startTarget(() => ({
      status: 201,
      headers: [
        ['Set-Cookie', 'session=abc123'],
        ['X-Kept', 'plain'],
      ],
      body: 'made',
    }));
    const inbox = json<InboxCreated>((await cli('inbox', 'add', '--name', 'gh', '--dialect', 'github', '--secret', 'first-secret', '--json')).stdout);
    expect((await cli('inbox', 'forward', inbox.id, '--to', target.url)).code).toBe(0);

    const serve = await startServe(dir);
    onTestFinished(async () => {
      await serve.stop();
    });
    const url = `${serve.receiver}/in/${inbox.id}`;
    await capture(url, 'first-secret', 'before-rotation');
    const forwarded = await waitUntil(
      async () => json<{ items: { id: number }[] }>((await cli('inbox', 'captures', inbox.id, '--json')).stdout).items,
      (items) => items.length === 1,
    );
    const captureId = String(forwarded[0]!.id);
    await waitUntil(
      async () => json<Shown>((await cli('delivery', 'show', captureId, '--json')).stdout).forwards,
      (forwards) => forwards[0]?.state === 'delivered',
    );
    expect((await cli('inbox', 'rotate', inbox.id, '--secret', 'second-secret', '--overlap', '3600')).code).toBe(0);
    expect(await serve.stop()).toBe(0);

    const oldKey = readFileSync(join(dir, KEY));
    const rotated = await cli('secrets', 'rotate-key');
    expect(rotated.code, rotated.stderr).toBe(0);
    rmSync(join(dir, `${KEY}.previous`));
    const newKey = readFileSync(join(dir, KEY));
    const sealed = everySealedValue(dir);
    expect(sealed.length).toBeGreaterThanOrEqual(3);
    expect(sealed.filter((s) => openWith(oldKey, s) !== null)).toEqual([]);
    expect(sealed.every((s) => openWith(newKey, s) !== null)).toBe(true);

    const again = await startServe(dir);
    onTestFinished(async () => {
      await again.stop();
    });
    const againUrl = `${again.receiver}/in/${inbox.id}`;
    await capture(againUrl, 'first-secret', 'signed-with-previous');
    await capture(againUrl, 'second-secret', 'signed-with-current');
    const captures = json<{ items: { verdict: string }[] }>((await cli('inbox', 'captures', inbox.id, '--json')).stdout).items;
    expect(captures.map((c) => c.verdict)).toEqual(['valid', 'valid', 'valid']);

    const shown = await cli('delivery', 'show', captureId);
    expect(shown.code, shown.stderr).toBe(0);
    expect(shown.stdout).toMatch(/Forwarded to http:\/\/127\.0\.0\.1:\d+\/?: delivered after 1 attempt, answered 201/);
    expect(shown.stdout).toContain('Set-Cookie: (hidden)');
    expect(shown.stdout).toContain('X-Kept: plain');
  }, 120_000);

  it('a data dir whose only secrets are inboxes, opened with a wrong key file, is refused on start naming the file', async () => {
    const dir = tempDataDir();
    const added = await runCli(['inbox', 'add', '--name', 'gh', '--dialect', 'github', '--data-dir', dir, '--json']);
    expect(added.code, added.stderr).toBe(0);
    writeFileSync(join(dir, KEY), randomBytes(32), { mode: 0o600 });

    const started = startServe(dir);
    onTestFinished(async () => {
      await started.then((serve) => serve.stop()).catch(() => undefined);
    });
    const refusal = await started.then(
      () => 'serve started',
      (error: Error) => error.message,
    );
    expect(refusal).toContain('serve exited with 1 before it was ready');
    expect(refusal).toContain(`the key file ${join(dir, KEY)} is not the key that sealed them`);
    expect(refusal).toContain('1 inbox');
  }, 60_000);

  it('secrets reset gives an inbox whose secrets are lost a new one, ends its rotation, and captures signed with it verify', async () => {
    const dir = tempDataDir();
    const cli = (...args: string[]) => runCli([...args, '--data-dir', dir]);
    const inbox = json<InboxCreated>((await cli('inbox', 'add', '--name', 'gh', '--dialect', 'github', '--secret', 'first-secret', '--json')).stdout);
    expect((await cli('inbox', 'rotate', inbox.id, '--secret', 'second-secret', '--overlap', '3600')).code).toBe(0);
    rmSync(join(dir, KEY));

    const reset = await cli('secrets', 'reset', '--json');
    expect(reset.code, reset.stderr).toBe(0);
    const result = json<SecretsReset>(reset.stdout);
    expect(result.inboxes.map((i) => i.id)).toEqual([inbox.id]);
    expect(result.removedConnections).toEqual([]);
    const human = await cli('secrets', 'reset');
    expect(human.stdout).toContain('nothing was reset');

    const serve = await startServe(dir);
    onTestFinished(async () => {
      await serve.stop();
    });
    const url = `${serve.receiver}/in/${inbox.id}`;
    await capture(url, result.inboxes[0]!.secret, 'signed-with-reset');
    await capture(url, 'first-secret', 'signed-with-lost');
    const captures = json<{ items: { verdict: string }[] }>((await cli('inbox', 'captures', inbox.id, '--json')).stdout).items;
    expect(captures.map((c) => c.verdict)).toEqual(['invalid', 'valid']);
  }, 60_000);
});
