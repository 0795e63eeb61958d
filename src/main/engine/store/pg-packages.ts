import type { Pool } from 'pg';
import { ApiError } from '../../../shared/contract';
import type { LatestRelease, PackageCreated, PackageSummary } from '../../../shared/types';
import { inTransaction } from '../db/pg/transaction';
import { pgEnqueueEngineEvent } from '../outbound/pg-enqueue';
import type { SecretBox } from '../secrets/secret-box';
import { TUNNEL_KEYS } from '../tunnel/saved-status';
import { latestOf } from './latest-release';
import {
  newPackageRows,
  noPackage,
  packageAddedActivity,
  packageCreated,
  packageRemovedActivity,
  packageRemovedMessage,
  toPackageSummary,
  type HookRow,
  type NewPackage,
  type PackageRow,
} from './package-decisions';
import { refuseSameServer, type SameRepositoryRow } from './package-identity';
import { toPackageData } from './packages';
import { pgRecordActivity } from './pg-activity-statements';
import { pgPackageSql as sql } from './pg-package-statements';
import { pausedTunnelReasonOf } from './tunnel-pause';

/**
 * Packages on a team server's PostgreSQL database: the SQLite store's add, list and remove
 * (packages.ts), with the same decisions (package-decisions.ts) and the same results.
 */

export async function pgAddPackage(pool: Pool, box: SecretBox, input: NewPackage, receiverBase: string, now: number): Promise<PackageCreated> {
  const { pkg, hook, secret } = newPackageRows(input, box, now);
  await inTransaction(pool, async (client) => {
    await client.query({ ...sql.lockRepository, values: [`${input.provider}:${input.repoId}`] });
    const existing = (await client.query<SameRepositoryRow>({ ...sql.sameRepository, values: [input.provider, input.repoId] })).rows;
    if (existing.length > 0) {
      const connection = input.connectionId ? (await client.query<{ baseUrl: string }>({ ...sql.connectionBaseUrl, values: [input.connectionId] })).rows[0] : null;
      refuseSameServer(input, existing, connection?.baseUrl);
    }
    await client.query({ ...sql.insertPackage, values: sql.packageKeys.map((key) => pkg[key as keyof PackageRow]) });
    await client.query({ ...sql.insertHook, values: sql.hookKeys.map((key) => hook[key as keyof HookRow]) });
    await pgEnqueueEngineEvent(client, 'package.created', { package: toPackageData(pkg) }, pkg.createdAt);
    await pgRecordActivity(client, packageAddedActivity(pkg));
  });
  return packageCreated(pkg, hook, secret, receiverBase);
}

/** Each package's latest release, from its published versions. */
async function pgLatestReleases(pool: Pool, packageId: string | null): Promise<Map<string, LatestRelease>> {
  const rows = (await pool.query<{ packageId: string; tag: string; version: string }>({ ...sql.publishedVersions, values: [packageId] })).rows;
  const byPackage = new Map<string, { tag: string; version: string }[]>();
  for (const row of rows) byPackage.set(row.packageId, [...(byPackage.get(row.packageId) ?? []), row]);
  const latest = new Map<string, LatestRelease>();
  for (const [id, published] of byPackage) {
    const found = latestOf(published);
    if (found) latest.set(id, found);
  }
  return latest;
}

export async function pgListPackages(pool: Pool, receiverBase: string, onlyId?: string): Promise<PackageSummary[]> {
  const [packages, tunnel, latest] = await Promise.all([
    onlyId === undefined ? pool.query<PackageRow>(sql.allPackages) : pool.query<PackageRow>({ ...sql.packageById, values: [onlyId] }),
    pool.query<{ key: string; value: string }>({ ...sql.settings, values: [[TUNNEL_KEYS.channelUrl, TUNNEL_KEYS.enabled]] }),
    pgLatestReleases(pool, onlyId ?? null),
  ]);
  if (packages.rows.length === 0) return [];
  const hooks = (await pool.query<HookRow>({ ...sql.hooksOf, values: [packages.rows.map((pkg) => pkg.id)] })).rows;
  const hookOf = new Map(hooks.map((hook) => [hook.packageId, hook]));
  const setting = (key: string) => tunnel.rows.find((row) => row.key === key)?.value;
  const context = { receiverBase, pausedReason: pausedTunnelReasonOf(setting(TUNNEL_KEYS.channelUrl), setting(TUNNEL_KEYS.enabled), receiverBase), latest, now: Date.now() };
  // A package whose hook is not there (removed between the two reads) is left out, as the SQLite join leaves it.
  return packages.rows.flatMap((pkg) => {
    const hook = hookOf.get(pkg.id);
    return hook ? [toPackageSummary(pkg, hook, context)] : [];
  });
}

export async function pgGetPackage(pool: Pool, receiverBase: string, id: string): Promise<PackageSummary> {
  const found = (await pgListPackages(pool, receiverBase, id))[0];
  if (!found) throw new ApiError('not_found', noPackage(id));
  return found;
}

/** `upstream` says what became of the hook on the provider. Returns what happened, in words. */
export async function pgRemovePackage(pool: Pool, id: string, upstream: string | null = null): Promise<string> {
  return inTransaction(pool, async (client) => {
    const pkg = (await client.query<PackageRow>({ ...sql.packageToRemove, values: [id] })).rows[0];
    // Not there, or another caller removed it meanwhile: said as for any package that is not there.
    if (!pkg) throw new ApiError('not_found', noPackage(id));
    const message = packageRemovedMessage(pkg.name, upstream);
    await pgEnqueueEngineEvent(client, 'package.deleted', { package: toPackageData(pkg) }, Date.now());
    await client.query({ ...sql.deletePackage, values: [id] });
    await pgRecordActivity(client, packageRemovedActivity(pkg, message));
    return message;
  });
}

export async function pgHasPackage(pool: Pool, id: string): Promise<boolean> {
  return (await pool.query({ ...sql.hasPackage, values: [id] })).rows.length > 0;
}
