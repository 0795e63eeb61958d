import type { CheckResult, EngineEvent, Release } from '../../../shared/types';
import type { activity, deliveries, packages, releaseChecks, releases } from '../db/schema';
import { askOp, runOps, runOpsAsync, type Op, type Steps } from '../store/steps';
import type { CheckContext, PublishedVersion } from './checks';

export type DeliveryRow = typeof deliveries.$inferSelect;
export type PackageRow = typeof packages.$inferSelect;
export type ReleaseRow = typeof releases.$inferSelect;
export type ActivityRow = typeof activity.$inferSelect;
type NewRelease = Omit<ReleaseRow, 'id'>;
type NewCheck = Omit<typeof releaseChecks.$inferSelect, 'id'>;

/**
 * What ingesting one delivery asks of the store, in its store's transaction. The steps
 * (ingest-steps.ts) are written once against these; SQLite answers them at once
 * (ingest-delivery.ts), PostgreSQL over the network (pg-ingest.ts).
 */
export interface IngestOps {
  packageById(id: string): PackageRow | undefined;
  releaseByTag(packageId: string, tag: string): ReleaseRow | undefined;
  releaseById(id: number): ReleaseRow | undefined;
  checksOf(releaseId: number): CheckResult[];
  /** What the release checks need to know about the package's other published releases. */
  checkContext(packageId: string, tag: string, version: string): CheckContext;
  markTagDeleted(id: number, at: number): void;
  recreateRelease(values: Pick<ReleaseRow, 'id' | 'commitSha' | 'deliveryId' | 'status' | 'updatedAt'>): void;
  clearChecks(releaseId: number): void;
  /** The new release; undefined when the package has one of this tag already (another process made it meanwhile). */
  insertRelease(values: NewRelease): ReleaseRow | undefined;
  insertChecks(rows: NewCheck[]): void;
  settleDelivery(values: Pick<DeliveryRow, 'id' | 'outcome' | 'outcomeReason' | 'releaseId'>): void;
  insertActivity(values: Omit<ActivityRow, 'id'>): ActivityRow;
  /** Queues the event for every subscribed endpoint, under a message id derived from the delivery. */
  enqueueEngineEvent(event: EngineEvent, release: Release, deliveryId: number, at: number): void;
  /** A release was published: the check context learns it. */
  published(packageId: string, release: PublishedVersion): void;
  /** Something was unpublished: the check context reads the package again. */
  forget(packageId: string): void;
}

export type IngestOp = Op<IngestOps>;
export type IngestSteps<R> = Steps<IngestOps, R>;
export type AsyncIngestOps = { [K in keyof IngestOps]: (...args: Parameters<IngestOps[K]>) => Promise<ReturnType<IngestOps[K]>> };

/** One store operation, as a step: `const row = yield* ask('releaseById', id)`. */
export const ask = <K extends keyof IngestOps>(name: K, ...args: Parameters<IngestOps[K]>) => askOp<IngestOps, K>(name, ...args);

/** Runs steps against a store that answers at once, inside its synchronous transaction. */
export const runSteps = <R>(steps: IngestSteps<R>, ops: IngestOps): R => runOps(steps, ops);

/** Runs steps against a store that answers over the network. */
export const runStepsAsync = <R>(steps: IngestSteps<R>, ops: AsyncIngestOps): Promise<R> => runOpsAsync(steps, ops);
