import type { Db } from '../db/open';
import { bundledMigrations, type AppliedMigration, type Migration, type StorePlace } from '../db/migrate';
import type { MaybePromise } from '../maybe-promise';

/**
 * The reads operations endpoints make: small, on indexes, and behind this interface so a
 * second store (PostgreSQL, pg-statements.ts) answers them with its own SQL.
 */
export interface OpsStore {
  /** The migrations this build carries for this store, and how a refusal names it. */
  readonly migrations: { all: Migration[]; place?: StorePlace };
  ping(): MaybePromise<void>;
  appliedMigrations(): MaybePromise<AppliedMigration[]>;
  deliveriesByOutcome(): MaybePromise<{ outcome: string; n: number }[]>;
  messagesByState(): MaybePromise<{ state: string; n: number }[]>;
  /** When the oldest delivery still waiting for ingest arrived; null when none waits. */
  oldestPendingDeliveryAt(): MaybePromise<number | null>;
}

export function sqliteOpsStore(db: Db): OpsStore {
  const sqlite = db.$client;
  return {
    migrations: { all: bundledMigrations },
    ping: () => void sqlite.prepare('SELECT 1').get(),
    appliedMigrations: () => sqlite.prepare('SELECT idx, tag, hash FROM schema_migrations ORDER BY idx').all() as AppliedMigration[],
    deliveriesByOutcome: () => sqlite.prepare('SELECT outcome, count(*) AS n FROM deliveries GROUP BY outcome').all() as { outcome: string; n: number }[],
    messagesByState: () => sqlite.prepare('SELECT state, count(*) AS n FROM messages GROUP BY state').all() as { state: string; n: number }[],
    oldestPendingDeliveryAt: () =>
      (sqlite.prepare("SELECT min(received_at) FROM deliveries WHERE outcome = 'pending'").pluck().get() as number | null | undefined) ?? null,
  };
}
