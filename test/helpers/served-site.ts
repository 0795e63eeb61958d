// The CLI beside a running server, on either store: on SQLite a `hookbench serve` process on a data dir
// that the CLI opens too (as a user does with the desktop's data dir); on PostgreSQL the site's team
// server instance, the CLI talking to it through --server.
import { onTestFinished } from 'vitest';
import { tempDataDir } from './data-dir';
import type { EngineKind, Site, SiteOptions, engineSites } from './engine-sites';
import { runCli, startServe } from './serve-process';

export type ServedSite = Pick<Site, 'receiverUrl' | 'place' | 'cli'> & {
  /** The process serving: the `serve` child on SQLite, this one (the instance runs in process) on PostgreSQL. */
  pid: number | undefined;
  /** Stops the `serve` process with SIGTERM and gives its exit code; null where the site's instance is the server. */
  stop: (() => Promise<number | null>) | null;
};

/** What the server is started with: `serve --public-url` on SQLite, the instance's option on PostgreSQL. */
export type ServedOptions = Pick<SiteOptions, 'publicUrl'>;

/** A site whose receiver is a running server the CLI works beside; stopped when the test ends. */
export async function servedSite(startSite: ReturnType<typeof engineSites>, kind: EngineKind, options: ServedOptions = {}): Promise<ServedSite> {
  if (kind === 'postgres') return { ...(await startSite(kind, options)), pid: process.pid, stop: null };
  const dataDir = tempDataDir();
  const serve = await startServe(dataDir, options.publicUrl !== undefined ? ['--public-url', options.publicUrl] : []);
  onTestFinished(async () => {
    await serve.stop();
  });
  return { receiverUrl: serve.receiver, place: { dataDir }, cli: (...args) => runCli([...args, '--data-dir', dataDir]), pid: serve.child.pid, stop: () => serve.stop('SIGTERM') };
}
