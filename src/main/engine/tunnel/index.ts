/**
 * The tunnel of a data dir: one smee channel per data dir, run by the process holding it (a
 * `serve`, or the desktop app), over the data dir's SQLite file. Hook URLs through it carry the
 * receiver path in the query. See runner.ts for how it runs; a team server runs the same runner
 * over PostgreSQL (team/team-engine.ts).
 */
import type { TunnelStatus } from '../../../shared/types';
import type { Db } from '../db/open';
import { receiverBaseOf } from './saved-status';
import { createTunnelRunner, type TunnelOptions, type TunnelRunnerDeps } from './runner';
import { atOnce, sqliteTunnelStore } from './tunnel-store';

export type { TunnelOptions } from './runner';

/** A data dir's tunnel: the runner's parts, its store the data dir's database. */
export type TunnelDeps = Omit<TunnelRunnerDeps, 'store' | 'receiverBase'> & { db: Db };

export function createTunnel(deps: TunnelDeps, options: TunnelOptions = {}) {
  const { db, ...rest } = deps;
  const runner = createTunnelRunner({ ...rest, store: sqliteTunnelStore(db), receiverBase: receiverBaseOf }, options);
  // SQLite answers at once, so the status is there at once (metrics, the CLI's own reads).
  return { ...runner, status: (): TunnelStatus => atOnce(runner.status()) };
}

export type Tunnel = ReturnType<typeof createTunnel>;
