import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { createEngine } from '../../src/main/engine';
import { DATABASE_FILE } from '../../src/main/engine/db/open';
import { ENGINE_LOG_FILE } from '../../src/main/engine/engine-log';
import { tempDataDir } from '../helpers/data-dir';
import { runCli } from '../helpers/serve-process';

/** A database that lost a table: the kind of failure no handler foresees. */
function breakFixtures(dir: string): void {
  const db = new Database(join(dir, DATABASE_FILE));
  db.exec('DROP TABLE fixtures');
  db.close();
}

describe('an unexpected engine failure', () => {
  it('is logged with its stack in the data dir, and the error names that file', async () => {
    const dir = tempDataDir();
    await createEngine({ dataDir: dir }).close();
    breakFixtures(dir);
    const engine = createEngine({ dataDir: dir });
    try {
      const log = join(dir, ENGINE_LOG_FILE);
      await expect(engine.invoke('fixtures.list', {})).rejects.toMatchObject({
        code: 'internal',
        message: `Unexpected error in fixtures.list: no such table: fixtures. Its stack is in the engine log, ${log}.`,
      });
      const logged = readFileSync(log, 'utf8');
      expect(logged).toMatch(/^\d{4}-\d\d-\d\dT[\d:.]+Z fixtures\.list failed: SqliteError: no such table: fixtures\n\s+at /);
      // Expected refusals are answers, not failures: they are not logged.
      await expect(engine.invoke('packages.get', { id: 'pkg_none' })).rejects.toMatchObject({ code: 'not_found' });
      expect(readFileSync(log, 'utf8')).toBe(logged);
    } finally {
      await engine.close();
    }
  });

  it('reaches the CLI the same way', async () => {
    const dir = tempDataDir();
    expect((await runCli(['fixture', 'list', '--data-dir', dir])).code).toBe(0);
    breakFixtures(dir);
    const res = await runCli(['fixture', 'list', '--data-dir', dir]);
    expect(res.code).toBe(1);
    expect(res.stderr).toContain(`Its stack is in the engine log, ${join(dir, ENGINE_LOG_FILE)}.`);
    expect(readFileSync(join(dir, ENGINE_LOG_FILE), 'utf8')).toContain('fixtures.list failed: SqliteError: no such table: fixtures');
  });
});
