import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDataDir } from '../helpers/data-dir';
import { cliInProcess } from '../helpers/in-process-cli';

afterEach(() => {
  delete process.env.HOOKBENCH_DATABASE_URL;
});

describe('a PostgreSQL database given to a command that does not run on one yet', () => {
  it('is refused by serve, naming what does, instead of serving a local data dir in its place', async () => {
    const dataDir = tempDataDir();
    const run = await cliInProcess(['serve', '--database', 'postgres://team@db.example/hookbench', '--data-dir', dataDir, '--port', '0', '--receiver-port', '0']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('serve does not run on a PostgreSQL database yet (--database was given)');
    expect(run.stderr).toContain('hookbench dispatch --database URL');
    expect(existsSync(join(dataDir, 'hookbench.sqlite'))).toBe(false);
  });

  it('is refused by serve when it comes from HOOKBENCH_DATABASE_URL, saying how to serve a data dir', async () => {
    process.env.HOOKBENCH_DATABASE_URL = 'postgres://team@db.example/hookbench';
    const dataDir = tempDataDir();
    const run = await cliInProcess(['serve', '--data-dir', dataDir, '--port', '0', '--receiver-port', '0']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('unset HOOKBENCH_DATABASE_URL to serve a data dir');
    expect(existsSync(join(dataDir, 'hookbench.sqlite'))).toBe(false);
  });

  it('is refused by the other commands, which would otherwise read the local data dir', async () => {
    const dataDir = tempDataDir();
    const run = await cliInProcess(['package', 'list', '--database', 'postgres://team@db.example/hookbench', '--data-dir', dataDir]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('package does not run on a PostgreSQL database yet');
  });
});
