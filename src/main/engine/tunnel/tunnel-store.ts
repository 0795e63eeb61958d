/**
 * Everything the tunnel keeps in the database, behind one narrow interface: its settings
 * (channel, on/off, saved status with the relay mark and connection history, gap log), the two
 * reads a gap needs, and its feed entries. SQLite answers at once (tunnel/statements.ts); a team
 * server's PostgreSQL over the network (tunnel/pg-tunnel-statements.ts). The decisions made on
 * what is read are the same functions for both.
 */
import type { ActivityEntry, TunnelStatus } from '../../../shared/types';
import type { Db } from '../db/open';
import type { MaybePromise } from '../maybe-promise';
import { recordActivity, type NewActivity } from '../store/activity';
import { deleteSetting, getSetting, setSetting } from '../store/settings';
import { hooksOfPackages, lastTunnelDeliveryAt, type HookAtRiskRow } from './statements';

/** One read of the settings: a setting's value, undefined when it is not set. */
export type SettingsView = (key: string) => string | undefined;

export interface TunnelStore {
  settings(): MaybePromise<SettingsView>;
  /** Sets each key to its value (null: deletes it), all in one transaction. */
  change(changes: Record<string, string | null>): MaybePromise<void>;
  hooksOfPackages(allHooks: boolean): MaybePromise<HookAtRiskRow[]>;
  lastTunnelDeliveryAt(): MaybePromise<number | null>;
  recordActivity(entry: NewActivity): MaybePromise<ActivityEntry>;
  /** Why whoever saved this status no longer holds the tunnel; null while it still does. */
  holderGone(saved: TunnelStatus): MaybePromise<string | null>;
}

const isPromise = <T>(value: MaybePromise<T>): value is Promise<T> => typeof (value as { then?: unknown } | null)?.then === 'function';

/** Runs `next` on a store's answer: at once when it came at once (SQLite), once it arrives otherwise. */
export function after<T, R>(value: MaybePromise<T>, next: (answer: T) => MaybePromise<R>): MaybePromise<R> {
  return isPromise(value) ? value.then(next) : next(value);
}

/** An answer from a store that answers at once (SQLite). */
export function atOnce<T>(value: MaybePromise<T>): T {
  if (isPromise(value)) throw new Error('Expected an answer at once from the SQLite tunnel store.');
  return value;
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The tunnel's storage in a data dir's SQLite file: one process on this machine holds it. */
export function sqliteTunnelStore(db: Db): TunnelStore {
  return {
    settings: () => (key) => getSetting(db, key),
    change(changes) {
      const apply = () => {
        for (const [key, value] of Object.entries(changes)) {
          if (value === null) deleteSetting(db, key);
          else setSetting(db, key, value);
        }
      };
      // One statement commits on its own (the status saved every second); more share one transaction.
      if (Object.keys(changes).length === 1) apply();
      else db.transaction(apply);
    },
    hooksOfPackages: (allHooks) => hooksOfPackages(db, allHooks),
    lastTunnelDeliveryAt: () => lastTunnelDeliveryAt(db),
    recordActivity: (entry) => recordActivity(db, entry),
    holderGone: (saved) =>
      saved.pid === null || !processAlive(saved.pid) ? `The Hookbench process that held the tunnel (pid ${saved.pid ?? '?'}) is no longer running; start "hookbench serve" to connect.` : null,
  };
}
