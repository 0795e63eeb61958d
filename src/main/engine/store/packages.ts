import { desc, eq, sql } from 'drizzle-orm';
import type { PackageCreated, PackageSummary, Provider } from '../../../shared/types';
import { ApiError } from '../../../shared/contract';
import type { Db, Queryable } from '../db/open';
import { hooks, packages } from '../db/schema';
import type { SecretBox } from '../secrets/secret-box';
import { enqueueEngineEvent } from '../outbound/enqueue';
import type { EngineEventData } from '../outbound/render';
import { recordActivity } from './activity';
import { latestReleases } from './latest-release';
import { refuseSameRepository } from './package-identity';
import { newPackageRows, noPackage, packageAddedActivity, packageCreated, packageRemovedActivity, packageRemovedMessage, toPackageSummary, type NewPackage } from './package-decisions';
import { receiverBaseUrl } from './settings';
import { pausedTunnelReason } from './tunnel-pause';

export type { NewPackage } from './package-decisions';

export function addPackage(db: Db, box: SecretBox, input: NewPackage): PackageCreated {
  const { pkg, hook, secret } = newPackageRows(input, box, Date.now());
  db.transaction((tx) => {
    refuseSameRepository(tx, input);
    tx.insert(packages).values(pkg).run();
    tx.insert(hooks).values(hook).run();
    enqueueEngineEvent(tx, 'package.created', () => ({ package: toPackageData(pkg) }), pkg.createdAt);
    recordActivity(tx, packageAddedActivity(pkg));
  });
  return packageCreated(pkg, hook, secret, receiverBaseUrl(db));
}

export function listPackages(db: Db, onlyId?: string): PackageSummary[] {
  const receiverBase = receiverBaseUrl(db);
  const context = { receiverBase, pausedReason: pausedTunnelReason(db, receiverBase), latest: latestReleases(db, onlyId), now: Date.now() };
  const rows = db
    .select({ pkg: packages, hook: hooks })
    .from(packages)
    .innerJoin(hooks, eq(hooks.packageId, packages.id))
    .where(onlyId === undefined ? undefined : eq(packages.id, onlyId))
    .orderBy(desc(packages.createdAt))
    .all();
  return rows.map(({ pkg, hook }) => toPackageSummary(pkg, hook, context));
}

export function getPackage(db: Db, id: string): PackageSummary {
  const found = listPackages(db, id)[0];
  if (!found) throw new ApiError('not_found', noPackage(id));
  return found;
}

/** `upstream` says what became of the hook on the provider. Returns what happened, in words. */
export function removePackage(db: Db, id: string, upstream: string | null = null): string {
  const pkg = getPackage(db, id);
  const message = packageRemovedMessage(pkg.name, upstream);
  db.transaction((tx) => {
    enqueueEngineEvent(tx, 'package.deleted', { package: packageData(tx, id) });
    tx.delete(packages).where(eq(packages.id, id)).run();
    hooksChanged();
    recordActivity(tx, packageRemovedActivity(pkg, message));
  });
  return message;
}

/** A package as outbound events describe it. */
export function packageData(db: Queryable, id: string): EngineEventData['package'] {
  const row = db.select().from(packages).where(eq(packages.id, id)).get();
  if (!row) throw new ApiError('not_found', noPackage(id));
  return toPackageData(row);
}

/** A package as engine events describe it. */
export function toPackageData(row: typeof packages.$inferSelect): EngineEventData['package'] {
  return { id: row.id, name: row.name, provider: row.provider, repo: row.repoFullName, repoId: row.repoId, createdAt: row.createdAt };
}

export interface ReceiverHook {
  hookId: string;
  packageId: string;
  provider: Provider;
  repo: string;
  repoId: string;
  secretSealed: string;
  /** During a rotation: the secret being replaced, still accepted until it expires (null: until the new upstream hook exists). */
  previousSecretSealed?: string | null;
  previousSecretExpiresAt?: number | null;
}

/** Read on every request, so a package added or removed by the CLI takes effect at once. */
let hooksGeneration = 0;

/** A hook's secrets changed, or a package went, in this process: lookups read them again. */
export function hooksChanged(): void {
  hooksGeneration++;
}

/** Other processes (the CLI beside a serve) are seen within this long. */
const HOOK_CACHE_TTL_MS = 500;

export function hookLookup(db: Db): (hookId: string, fresh?: boolean) => ReceiverHook | undefined {
  const query = db
    .select({
      hookId: hooks.id,
      packageId: packages.id,
      provider: packages.provider,
      repo: packages.repoFullName,
      repoId: packages.repoId,
      secretSealed: hooks.secretSealed,
      previousSecretSealed: hooks.previousSecretSealed,
      previousSecretExpiresAt: hooks.previousSecretExpiresAt,
    })
    .from(hooks)
    .innerJoin(packages, eq(packages.id, hooks.packageId))
    .where(eq(hooks.id, sql.placeholder('hookId')))
    .prepare();
  // Known hooks are remembered briefly; a new hook id is a miss and is read at once.
  const known = new Map<string, { hook: ReceiverHook; at: number; generation: number }>();
  return (hookId, fresh = false) => {
    const now = performance.now();
    const hit = known.get(hookId);
    if (hit && !fresh && hit.generation === hooksGeneration && now - hit.at < HOOK_CACHE_TTL_MS) return hit.hook;
    const hook = query.get({ hookId });
    if (known.size > 10_000) known.clear();
    if (hook) known.set(hookId, { hook, at: now, generation: hooksGeneration });
    else known.delete(hookId);
    return hook;
  };
}
