import { createServer, type Server } from 'node:net';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it, onTestFinished } from 'vitest';
import { tempDataDir } from '../helpers/data-dir';
import { runCli } from '../helpers/serve-process';

async function occupiedPort(): Promise<number> {
  const blocker: Server = createServer();
  await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
  onTestFinished(() => new Promise<void>((resolve) => blocker.close(() => resolve())));
  return (blocker.address() as AddressInfo).port;
}

describe('a start that fails', () => {
  it('a control port in use: serve says which port and option, and exits non-zero with nothing left listening', async () => {
    const dir = tempDataDir();
    const port = await occupiedPort();
    // runCli resolves on exit: a receiver left running would hang here until the test times out.
    const serve = await runCli(['serve', '--data-dir', dir, '--port', String(port), '--receiver-port', '0']);
    expect(serve.code).toBe(1);
    expect(serve.stderr).toContain(`127.0.0.1:${port} is already in use`);
    expect(serve.stderr).toContain('--port');
    expect(serve.stdout).not.toContain('Hookbench is running');
  });

  it('a receiver port in use names --receiver-port', async () => {
    const dir = tempDataDir();
    const port = await occupiedPort();
    const serve = await runCli(['serve', '--data-dir', dir, '--port', '0', '--receiver-port', String(port)]);
    expect(serve.code).toBe(1);
    expect(serve.stderr).toContain('--receiver-port');
  });

  it('--host 0.0.0.0 is refused before anything listens', async () => {
    const dir = tempDataDir();
    const serve = await runCli(['serve', '--data-dir', dir, '--host', '0.0.0.0', '--port', '0', '--receiver-port', '0']);
    expect(serve.code).not.toBe(0);
    expect(serve.stderr).toContain('--host 0.0.0.0 is refused');
    expect(serve.stdout).not.toContain('Hookbench is running');
  });
});

describe('an edited migration', () => {
  it('names the hashes that differ and what to do', async () => {
    const dir = tempDataDir();
    expect((await runCli(['package', 'list', '--data-dir', dir])).code).toBe(0);
    // As if the database was migrated by a build whose 0001 SQL was different.
    const db = new Database(join(dir, 'hookbench.sqlite'));
    db.prepare("UPDATE schema_migrations SET hash = 'f00dfeed' || substr(hash, 9) WHERE idx = 1").run();
    db.close();
    const list = await runCli(['package', 'list', '--data-dir', dir]);
    expect(list.code).toBe(1);
    expect(list.stderr).toContain('Schema 1 "0001_outbound" was applied to this data directory from SQL with hash f00dfeed');
    expect(list.stderr).toMatch(/this build's "0001_outbound" has hash [0-9a-f]{12}/);
    expect(list.stderr).toContain('edited after it was applied');
    expect(list.stderr).toContain('point --data-dir at a new directory');
  });
});
