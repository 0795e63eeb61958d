// The CLI beside a running server, on either store: on SQLite a `hookbench serve` process on a data dir
// that the CLI opens too (as a user does with the desktop's data dir); on PostgreSQL the site's team
// server instance, the CLI talking to it through --server.
import { onTestFinished } from 'vitest';
import { tempDataDir } from './data-dir';
import type { EngineKind, Site, engineSites } from './engine-sites';
import { runCli, startServe } from './serve-process';

export type ServedSite = Pick<Site, 'receiverUrl' | 'place' | 'cli'>;

/** A site whose receiver is a running server the CLI works beside; stopped when the test ends. */
export async function servedSite(startSite: ReturnType<typeof engineSites>, kind: EngineKind): Promise<ServedSite> {
  if (kind === 'postgres') return startSite(kind);
  const dataDir = tempDataDir();
  const serve = await startServe(dataDir);
  onTestFinished(async () => {
    await serve.stop();
  });
  return { receiverUrl: serve.receiver, place: { dataDir }, cli: (...args) => runCli([...args, '--data-dir', dataDir]) };
}
