/**
 * What provider work reads and writes, behind one narrow interface with a form per store:
 * the data dir's SQLite (sqlite-provider-store.ts) and a team server's PostgreSQL
 * (pg-provider-store.ts). The decisions (what a hook's new state is, what the feed says,
 * what a result contains) stay in the provider modules that call it, written once.
 */
import type { ActivityEntry, DeliverySummary, PackageCreated } from '../../../shared/types';
import type { connections, hooks, packages } from '../db/schema';
import type { NewActivity } from '../store/activity';
import type { NewPackage } from '../store/package-decisions';

export type ConnectionRow = typeof connections.$inferSelect;
export type PackageRow = typeof packages.$inferSelect;
export type HookRow = typeof hooks.$inferSelect;

export interface ConnectionUse {
  row: ConnectionRow;
  /** Packages managed through it. */
  packages: number;
}

export interface ReleasedTag {
  tag: string;
  status: string;
  updatedAt: number;
}

export interface DeliveryOutcome {
  id: number;
  outcome: DeliverySummary['outcome'];
  outcomeReason: string | null;
  releaseId: number | null;
}

export interface HookChange {
  /** The hook as it is now, after the change. */
  hook: HookRow;
  entry: ActivityEntry | null;
}

export interface ProviderStore {
  /** Where providers deliver now: hook URLs are built on it. */
  receiverBase(): Promise<string>;

  /** Keeps a new connection (its token already sealed), with its feed entry. */
  insertConnection(row: ConnectionRow, activity: NewActivity): Promise<void>;
  connection(id: string): Promise<ConnectionRow | undefined>;
  /** Newest first, each with how many packages it manages. */
  connections(): Promise<ConnectionUse[]>;
  /**
   * Removes a connection; its packages stay, no longer managed. Returns their ids, or null when
   * the connection was not there. The feed entry is worded from the packages detached.
   */
  removeConnection(id: string, activity: (detached: string[]) => NewActivity): Promise<string[] | null>;

  /** A package with its hook and the connection managing it (if any). */
  managed(packageId: string): Promise<{ pkg: PackageRow; hook: HookRow; connection: ConnectionRow | null } | undefined>;
  /**
   * Writes a hook's new state, computed from the row as it is inside the transaction (another
   * caller, a ping verifying it, may have written it meanwhile; `known` when it is gone), with
   * its feed entry.
   */
  changeHook(known: HookRow, set: (current: HookRow) => Partial<HookRow>, activity: NewActivity | null): Promise<HookChange>;
  /** Only the time of the last upstream check. */
  markChecked(hookId: string, at: number): Promise<void>;
  addPackage(input: NewPackage, now: number): Promise<PackageCreated>;
  setPackageConnection(packageId: string, connectionId: string): Promise<void>;
  /** Packages with a connection and a hook upstream, no rotation under way. */
  checkablePackageIds(): Promise<string[]>;
  /** Every package with a hook, oldest first. */
  packageIdsWithHooks(): Promise<string[]>;

  /** Deliveries on a hook with one of these provider delivery ids, oldest first. */
  deliveriesByProviderId(hookId: string, providerIds: string[]): Promise<DeliverySummary[]>;
  lastDeliveryId(hookId: string): Promise<number>;
  /** The first delivery of this event on the hook after a given row id. */
  deliveryAfter(hookId: string, afterId: number, event: string): Promise<DeliverySummary | undefined>;
  deliveryOutcome(id: number): Promise<DeliveryOutcome | undefined>;
  releasedTags(packageId: string): Promise<ReleasedTag[]>;
  /** Tags with a delivery still waiting for ingest. */
  pendingTags(packageId: string): Promise<string[]>;

  recordActivity(entry: NewActivity): Promise<ActivityEntry>;

  /**
   * Runs provider work on one key (a package, or every hook's check) while no other process on
   * the database runs work on it; absent where one process has the database to itself.
   */
  exclusive?<T>(key: string, run: () => Promise<T>, signal?: AbortSignal): Promise<T>;
}
