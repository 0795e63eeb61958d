import type { LatestRelease, PackageCreated, PackageSummary, Provider } from '../../../shared/types';
import type { hooks, packages } from '../db/schema';
import { newHookId, newHookSecret, newPackageId, signingTokenFor } from '../ids';
import { previousSecretAccepted } from '../secrets/rotation';
import type { SecretBox } from '../secrets/secret-box';
import type { NewActivity } from './activity';
import { hookUrl } from './settings';

/**
 * What adding, listing and removing a package decide, apart from how a store reads and writes:
 * the SQLite store (packages.ts) and the PostgreSQL one (pg-packages.ts) both call these, so a
 * package looks, reads and is announced the same on either.
 */

export type PackageRow = typeof packages.$inferSelect;
export type HookRow = typeof hooks.$inferSelect;

export interface NewPackage {
  provider: Provider;
  repo: string;
  repoId: string;
  name?: string | undefined;
  /** The connection that manages the hook upstream. */
  connectionId?: string | null;
}

/** Every store's answer for a package id it does not have. */
export const noPackage = (id: string) => `No package with id ${id}.`;

/** A hand-added hook is unregistered until the provider proves it exists. */
export const UNREGISTERED_HOOK_REASON = 'Paste the hook URL and secret into the repository settings; a ping or first delivery will confirm it.';

/** The rows a new package is stored as, its hook's secret sealed, and the secret itself (shown once). */
export function newPackageRows(input: NewPackage, box: SecretBox, now: number): { pkg: PackageRow; hook: HookRow; secret: string } {
  const id = newPackageId();
  const secret = newHookSecret();
  const pkg: PackageRow = { id, name: input.name ?? input.repo, provider: input.provider, repoFullName: input.repo, repoId: input.repoId, connectionId: input.connectionId ?? null, createdAt: now };
  const hook: HookRow = {
    id: newHookId(),
    packageId: id,
    secretSealed: box.seal(secret),
    status: 'unregistered',
    statusReason: UNREGISTERED_HOOK_REASON,
    verifiedAt: null,
    providerHookId: null,
    previousSecretSealed: null,
    previousSecretExpiresAt: null,
    rotationStep: null,
    rotationError: null,
    upstreamCheckedAt: null,
    createdAt: now,
  };
  return { pkg, hook, secret };
}

export function packageAddedActivity(pkg: PackageRow): NewActivity {
  return {
    kind: 'package_added',
    packageId: pkg.id,
    message: `Package ${pkg.name} added for ${pkg.provider} repository ${pkg.repoFullName} (id ${pkg.repoId}).`,
  };
}

/** What the caller of add gets: the only time the secret is shown. */
export function packageCreated(pkg: PackageRow, hook: HookRow, secret: string, receiverBase: string): PackageCreated {
  return { id: pkg.id, hookUrl: hookUrl(receiverBase, hook.id), secret, signingToken: signingTokenFor(secret) };
}

/** `upstream` says what became of the hook on the provider. What removing did, in words. */
export const packageRemovedMessage = (name: string, upstream: string | null) => `Package ${name} removed; its hook URL now answers 404.${upstream ? ` ${upstream}` : ''}`;

export function packageRemovedActivity(pkg: { id: string; name: string }, message: string): NewActivity {
  return { kind: 'package_removed', packageId: pkg.id, packageName: pkg.name, message: `${message} Past deliveries are kept.` };
}

/** Where the list's hook URLs point, and why none of them may be reached (a paused tunnel). */
export interface PackageListContext {
  receiverBase: string;
  pausedReason: string | null;
  latest: Map<string, LatestRelease>;
  now: number;
}

export function toPackageSummary(pkg: PackageRow, hook: HookRow, ctx: PackageListContext): PackageSummary {
  return {
    id: pkg.id,
    name: pkg.name,
    provider: pkg.provider,
    repo: pkg.repoFullName,
    repoId: pkg.repoId,
    createdAt: pkg.createdAt,
    hook: {
      id: hook.id,
      url: hookUrl(ctx.receiverBase, hook.id),
      status: ctx.pausedReason ? 'failing' : hook.status,
      statusReason: ctx.pausedReason ?? hook.statusReason,
      verifiedAt: hook.verifiedAt,
    },
    latestRelease: ctx.latest.get(pkg.id)?.tag ?? null,
    latest: ctx.latest.get(pkg.id) ?? null,
    connectionId: pkg.connectionId,
    upstream: {
      providerHookId: hook.providerHookId,
      rotationStep: hook.rotationStep,
      rotationError: hook.rotationError,
      previousSecretValid: previousSecretAccepted(hook, ctx.now),
      previousSecretExpiresAt: hook.previousSecretExpiresAt,
      checkedAt: hook.upstreamCheckedAt,
    },
  };
}
