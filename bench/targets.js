// The servers under test, each in its own child process, with the same start/ledger shape.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { randomBytes } from 'node:crypto';
import { countDeliveries, pendingCount } from './ledger-db.js';
import { onExit, run, startServer } from './procs.js';
import { REPO, REPO_ID } from './payload.js';

const CLI = fileURLToPath(new URL('../bin/hookbench.js', import.meta.url));
const BARE = fileURLToPath(new URL('./bare-server.js', import.meta.url));
const BARE_DURABLE = fileURLToPath(new URL('./bare-durable-server.js', import.meta.url));

/** A fresh data dir, removed when the target stops (or the runner exits). */
function freshDataDir(prefix) {
  const dataDir = mkdtempSync(join(tmpdir(), prefix));
  return { dataDir, removeDir: onExit(() => rmSync(dataDir, { recursive: true, force: true })) };
}

/** Stops a server that keeps a deliveries table, then counts what it holds against what was acknowledged. */
const stopAndCountTable = (server, dataDir, removeDir) => async (ackedIds) => {
  const exit = await server.stop();
  try {
    return { exit, ...countDeliveries(dataDir, ackedIds) };
  } finally {
    removeDir();
  }
};

/** Hookbench `serve`, headless, on a fresh data dir with one GitHub package. */
export async function startHookbench() {
  const { dataDir, removeDir } = freshDataDir('hookbench-bench-');
  const pkg = JSON.parse(
    await run([CLI, 'package', 'add', '--provider', 'github', '--repo', REPO, '--repo-id', String(REPO_ID), '--data-dir', dataDir, '--json']),
  );
  const server = await startServer([CLI, 'serve', '--data-dir', dataDir, '--port', '0', '--receiver-port', '0', '--json', '--no-ui']);
  return {
    name: 'hookbench',
    pid: server.child.pid,
    url: server.info.receiver + new URL(pkg.hookUrl).pathname,
    secret: pkg.secret,
    pending: () => pendingCount(dataDir),
    stopAndCount: stopAndCountTable(server, dataDir, removeDir),
  };
}

/** Hookbench `serve`, headless, on a fresh data dir with one inbox of dialect standard-webhooks (Svix). */
export async function startHookbenchInbox() {
  const { dataDir, removeDir } = freshDataDir('hookbench-bench-inbox-');
  const inbox = JSON.parse(await run([CLI, 'inbox', 'add', '--name', 'bench', '--dialect', 'standard-webhooks', '--data-dir', dataDir, '--json']));
  const server = await startServer([CLI, 'serve', '--data-dir', dataDir, '--port', '0', '--receiver-port', '0', '--json', '--no-ui']);
  return {
    name: 'hookbench-inbox',
    scheme: 'standard-webhooks',
    pid: server.child.pid,
    url: server.info.receiver + new URL(inbox.url).pathname,
    secret: inbox.secret,
    pending: () => pendingCount(dataDir),
    stopAndCount: stopAndCountTable(server, dataDir, removeDir),
  };
}

/** The bare node:http baseline: it stores nothing, so its own count of 200s stands in for the table. */
export async function startBare() {
  const secret = randomBytes(32).toString('hex');
  const server = await startServer([BARE, secret]);
  return {
    name: 'bare',
    pid: server.child.pid,
    url: server.info.receiver + '/hooks/bench',
    secret,
    pending: () => 0,
    async stopAndCount(ackedIds) {
      const exit = await server.stop();
      const counts = JSON.parse(server.output().trim().split('\n').at(-1)).counts;
      return { exit, stored: null, serverOk: counts.ok, serverRefused: counts.refused, ackedFound: null, acked: ackedIds.length };
    },
  };
}

/** The bare server plus SQLite WAL, synchronous=FULL and group commit: what durable storage alone costs. */
export async function startBareDurable() {
  const secret = randomBytes(32).toString('hex');
  const { dataDir, removeDir } = freshDataDir('hookbench-bench-durable-');
  const server = await startServer([BARE_DURABLE, secret, dataDir]);
  return {
    name: 'bare+sqlite',
    pid: server.child.pid,
    url: server.info.receiver + '/hooks/bench',
    secret,
    pending: () => 0,
    stopAndCount: stopAndCountTable(server, dataDir, removeDir),
  };
}
