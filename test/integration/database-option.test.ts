import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDataDir } from '../helpers/data-dir';
import { cliInProcess } from '../helpers/in-process-cli';

afterEach(() => {
  delete process.env.HOOKBENCH_DATABASE_URL;
});

describe('a PostgreSQL database given on the command line', () => {
  it('makes serve a team server instance, which refuses to start without the key every instance shares', async () => {
    delete process.env.HOOKBENCH_SECRET_KEY;
    delete process.env.HOOKBENCH_SECRET_KEY_FILE;
    const dataDir = tempDataDir();
    const run = await cliInProcess(['serve', '--database', 'postgres://team@db.example/hookbench', '--data-dir', dataDir, '--port', '0', '--receiver-port', '0']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('set HOOKBENCH_SECRET_KEY');
    expect(existsSync(join(dataDir, 'hookbench.sqlite'))).toBe(false);
  });

  it('makes serve say which database it cannot reach, its password hidden, and serve nothing', async () => {
    process.env.HOOKBENCH_SECRET_KEY = Buffer.alloc(32, 7).toString('base64');
    try {
      const run = await cliInProcess(['serve', '--database', 'postgres://ada:s3cret@127.0.0.1:1/hookbench', '--port', '0', '--receiver-port', '0']);
      expect(run.code).toBe(1);
      expect(run.stderr).toContain("Cannot open the team server's database at postgres://ada:(hidden)@127.0.0.1:1/hookbench: ");
      expect(run.stderr).not.toContain('s3cret');
    } finally {
      delete process.env.HOOKBENCH_SECRET_KEY;
    }
  });

  it('is refused by a command that does not run on one, which would otherwise read the local data dir', async () => {
    const dataDir = tempDataDir();
    const run = await cliInProcess(['package', 'list', '--database', 'postgres://team@db.example/hookbench', '--data-dir', dataDir]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('package does not run on a PostgreSQL database yet');
    expect(run.stderr).toContain('"hookbench serve --database URL"');
  });

  it('is refused when it is not a PostgreSQL URL', async () => {
    const run = await cliInProcess(['serve', '--database', '/var/lib/hookbench', '--port', '0', '--receiver-port', '0']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--database takes a postgres:// URL');
  });
});
