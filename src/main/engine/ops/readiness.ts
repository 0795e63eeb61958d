import { checkAppliedMigrations } from '../db/migrate';
import type { OpsStore } from './statements';

export interface Readiness {
  ready: boolean;
  checks: { database: string; migrations: string };
}

/** Ready: the database answers, and every migration this build carries is applied (and none it lacks). */
export async function checkReadiness(store: OpsStore): Promise<Readiness> {
  let database = 'ok';
  let migrations = 'ok';
  try {
    await store.ping();
  } catch (error) {
    database = `unreachable: ${(error as Error).message}`;
  }
  if (database === 'ok') {
    try {
      const applied = await store.appliedMigrations();
      checkAppliedMigrations(applied, store.migrations.all, store.migrations.place);
      const missing = store.migrations.all.filter((m) => !applied.some((a) => a.idx === m.index));
      if (missing.length) migrations = `not applied: ${missing.map((m) => m.tag).join(', ')}`;
    } catch (error) {
      migrations = (error as Error).message;
    }
  } else migrations = 'unknown';
  return { ready: database === 'ok' && migrations === 'ok', checks: { database, migrations } };
}
