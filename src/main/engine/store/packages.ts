import { desc, eq, sql } from 'drizzle-orm';
import type { PackageCreated, PackageSummary, Provider } from '../../../shared/types';
import { ApiError } from '../../../shared/contract';
import type { Db, Queryable } from '../db/open';
import { hooks, packages } from '../db/schema';
import { newHookId, newHookSecret, newPackageId, signingTokenFor } from '../ids';
import { previousSecretAccepted } from '../secrets/rotation';
import type { SecretBox } from '../secrets/secret-box';
import { enqueueEngineEvent } from '../outbound/enqueue';
import type { EngineEventData } from '../outbound/render';
import { recordActivity } from './activity';
import { latestReleases } from './latest-release';
import { refuseSameRepository } from './package-identity';
import { hookUrl, receiverBaseUrl } from './settings';
import { pausedTunnelReason } from './tunnel-pause';

export interface NewPackage {
  provider: Provider;
  repo: string;
  repoId: string;
  name?: string | undefined;
  /** The connection that manages the hook upstream. */
  connectionId?: string | null;
}

export function addPackage(db: Db, box: SecretBox, input: NewPackage): PackageCreated {
  const id = newPackageId();
  const hookId = newHookId();
  const secret = newHookSecret();
  const now = Date.now();
  db.transaction((tx) => {
    refuseSameRepository(tx, input);
    tx.insert(packages)
      .values({ id, name: input.name ?? input.repo, provider: input.provider, repoFullName: input.repo, repoId: input.repoId, connectionId: input.connectionId ?? null, createdAt: now })
      .run();
    tx.insert(hooks)
      .values({
        id: hookId,
        packageId: id,
        secretSealed: box.seal(secret),
        status: 'unregistered',
        statusReason: 'Paste the hook URL and secret into the repository settings; a ping or first delivery will confirm it.',
        createdAt: now,
      })
      .run();
    enqueueEngineEvent(tx, 'package.created', { package: packageData(tx, id) }, now);
    recordActivity(tx, {
      kind: 'package_added',
      packageId: id,
      message: `Package ${input.name ?? input.repo} added for ${input.provider} repository ${input.repo} (id ${input.repoId}).`,
    });
  });
  return { id, hookUrl: hookUrl(receiverBaseUrl(db), hookId), secret, signingToken: signingTokenFor(secret) };
}

export function listPackages(db: Db, onlyId?: string): PackageSummary[] {
  const base = receiverBaseUrl(db);
  const paused = pausedTunnelReason(db, base);
  const latest = latestReleases(db, onlyId);
  const rows = db
    .select({ pkg: packages, hook: hooks })
    .from(packages)
    .innerJoin(hooks, eq(hooks.packageId, packages.id))
    .where(onlyId === undefined ? undefined : eq(packages.id, onlyId))
    .orderBy(desc(packages.createdAt))
    .all();
  return rows.map(({ pkg, hook }) => ({
    id: pkg.id,
    name: pkg.name,
    provider: pkg.provider,
    repo: pkg.repoFullName,
    repoId: pkg.repoId,
    createdAt: pkg.createdAt,
    hook: {
      id: hook.id,
      url: hookUrl(base, hook.id),
      status: paused ? 'failing' : hook.status,
      statusReason: paused ?? hook.statusReason,
      verifiedAt: hook.verifiedAt,
    },
    latestRelease: latest.get(pkg.id)?.tag ?? null,
    latest: latest.get(pkg.id) ?? null,
    connectionId: pkg.connectionId,
    upstream: {
      providerHookId: hook.providerHookId,
      rotationStep: hook.rotationStep,
      rotationError: hook.rotationError,
      previousSecretValid: previousSecretAccepted(hook, Date.now()),
      previousSecretExpiresAt: hook.previousSecretExpiresAt,
      checkedAt: hook.upstreamCheckedAt,
    },
  }));
}

export function getPackage(db: Db, id: string): PackageSummary {
  const found = listPackages(db, id)[0];
  if (!found) throw new ApiError('not_found', `No package with id ${id}.`);
  return found;
}

/** `upstream` says what became of the hook on the provider. Returns what happened, in words. */
export function removePackage(db: Db, id: string, upstream: string | null = null): string {
  const pkg = getPackage(db, id);
  const message = `Package ${pkg.name} removed; its hook URL now answers 404.${upstream ? ` ${upstream}` : ''}`;
  db.transaction((tx) => {
    enqueueEngineEvent(tx, 'package.deleted', { package: packageData(tx, id) });
    tx.delete(packages).where(eq(packages.id, id)).run();
    hooksChanged();
    recordActivity(tx, {
      kind: 'package_removed',
      packageId: id,
      packageName: pkg.name,
      message: `${message} Past deliveries are kept.`,
    });
  });
  return message;
}

/** A package as outbound events describe it. */
export function packageData(db: Queryable, id: string): EngineEventData['package'] {
  const row = db.select().from(packages).where(eq(packages.id, id)).get();
  if (!row) throw new ApiError('not_found', `No package with id ${id}.`);
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
