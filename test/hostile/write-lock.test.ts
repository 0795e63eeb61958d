/**
 * Two connections on one data dir, as a CLI command beside a running serve: what each does
 * while the other holds the write lock.
 */
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import Database from 'better-sqlite3';
import { describe, expect, it, onTestFinished } from 'vitest';
import { createEngine } from '../../src/main/engine';
import { DATABASE_FILE } from '../../src/main/engine/db/open';
import { settings } from '../../src/main/engine/db/schema';
import { HeaderList } from '../../src/main/engine/receiver/headers';
import type { PackageCreated } from '../../src/shared/types';
import { tempDataDir } from '../helpers/data-dir';
import { githubHeaders, githubTagPush } from '../helpers/payloads';

/** Another process's connection, which never waits for the lock. */
function otherConnection(dataDir: string) {
  const other = new Database(join(dataDir, DATABASE_FILE));
  other.pragma('busy_timeout = 0');
  onTestFinished(() => {
    other.close();
  });
  return other;
}

describe('the write lock between processes', () => {
  it('takes the lock when a transaction begins, so a read-then-write cannot lose to a writer in between', async () => {
    const dataDir = tempDataDir();
    const engine = createEngine({ dataDir });
    onTestFinished(() => engine.close());
    const other = otherConnection(dataDir);
    let othersWrite: unknown = null;
    engine.db.transaction((tx) => {
      tx.select().from(settings).all();
      // Another process writes between this transaction's read and its write.
      try {
        other.prepare("INSERT INTO settings (key, value) VALUES ('other', '1')").run();
      } catch (error) {
        othersWrite = error;
      }
      tx.insert(settings).values({ key: 'mine', value: '1' }).run();
    });
    // The other writer was the one to wait (and try again), not this transaction to fail.
    expect((othersWrite as { code?: string } | null)?.code).toBe('SQLITE_BUSY');
    expect(other.prepare("SELECT value FROM settings WHERE key = 'mine'").pluck().get()).toBe('1');
  });

  it('answers deliveries that arrived while another process held the lock once it lets go, in order, without failing them', async () => {
    const dataDir = tempDataDir();
    const engine = createEngine({ dataDir });
    onTestFinished(() => engine.close());
    const pkg = (await engine.invoke('packages.add', { provider: 'github', repo: 'octo/widgets', repoId: '42' })) as PackageCreated;
    const hook = engine.lookupHook(pkg.hookUrl.split('/hooks/')[1]!)!;
    const receive = async (tag: string) => {
      const body = JSON.stringify(githubTagPush(42, tag));
      const headers = new HeaderList(Object.entries(await githubHeaders('push', body, pkg.secret)));
      return engine.receiver.receive({ hookId: hook.hookId, source: 'direct', remoteAddress: null, headers, body: Buffer.from(body) }, hook);
    };
    const other = otherConnection(dataDir);
    other.prepare('BEGIN IMMEDIATE').run();
    const answered: string[] = [];
    const answers = ['v1.0.0', 'v1.1.0', 'v1.2.0'].map((tag) => receive(tag).then((a) => (answered.push(tag), a)));
    // The other process keeps the lock for a while.
    await delay(200);
    expect(answered).toEqual([]);
    other.prepare('COMMIT').run();
    const done = await Promise.all(answers);
    expect(done.map((a) => a.status)).toEqual([202, 202, 202]);
    expect(answered).toEqual(['v1.0.0', 'v1.1.0', 'v1.2.0']);
    const ids = done.map((a) => (a.body as { delivery: number }).delivery);
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    // Its other writes (a change made in the UI, a CLI command) still wait for the lock rather than fail.
    expect(engine.db.$client.pragma('busy_timeout', { simple: true })).toBeGreaterThan(0);
  });
});
