/**
 * The tunnel of a data dir: one smee channel per data dir, run by the process holding it (a
 * `serve`, or the desktop app), over the data dir's SQLite file. Hook URLs through it carry the
 * receiver path in the query. See runner.ts for how it runs; a team server runs the same runner
 * over PostgreSQL (team/team-tunnel.ts).
 */
import type { PushEvent } from '../../../shared/contract';
import type { TunnelStatus } from '../../../shared/types';
import type { Db } from '../db/open';
import type { DeliveryWriter } from '../receiver/delivery-writer';
import type { Receiver } from '../receiver/server';
import type { SecretBox } from '../secrets/secret-box';
import type { ReceiverHook } from '../store/packages';
import type { TunnelDeliveryDeps } from './deliver';
import { receiverBaseOf } from './saved-status';
import { createTunnelRunner, type TunnelOptions } from './runner';
import { atOnce, sqliteTunnelStore } from './tunnel-store';

export type { TunnelOptions } from './runner';

export interface TunnelDeps {
  db: Db;
  box: SecretBox;
  publish: (event: PushEvent) => void;
  receiver: Pick<Receiver, 'receive'>;
  writer: Pick<DeliveryWriter, 'write'>;
  lookupHook: (hookId: string) => ReceiverHook | undefined;
  lookupInbox?: TunnelDeliveryDeps['lookupInbox'];
  now?: () => number;
}

export function createTunnel(deps: TunnelDeps, options: TunnelOptions = {}) {
  const { db, ...rest } = deps;
  const runner = createTunnelRunner({ ...rest, store: sqliteTunnelStore(db), receiverBase: receiverBaseOf }, options);
  // SQLite answers at once, so the status is there at once (metrics, the CLI's own reads).
  return { ...runner, status: (): TunnelStatus => atOnce(runner.status()) };
}

export type Tunnel = ReturnType<typeof createTunnel>;
