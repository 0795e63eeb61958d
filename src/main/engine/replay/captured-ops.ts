import type { ActivityEntry } from '../../../shared/types';
import type { deliveries, fixtures } from '../db/schema';
import type { ForwardRow } from '../inbox/forward/statements';
import type { activityValues } from '../store/activity';
import { askOp, type Steps } from '../store/steps';

export type DeliveryRow = typeof deliveries.$inferSelect;
export type FixtureRow = typeof fixtures.$inferSelect;

/** What a stored attempt sent: its request and its message's body and event. */
export interface AttemptRequest {
  requestHeaders: string;
  url: string;
  body: Buffer;
  event: string;
}

/**
 * What captured requests, fixtures and reveals ask of the store. The methods are written once
 * as steps (captured.ts, fixtures.ts, reveal.ts); SQLite answers them at once
 * (sqlite-captured-ops.ts), PostgreSQL over the network (pg-captured-ops.ts).
 */
export interface CapturedOps {
  deliveryById(id: number): DeliveryRow | undefined;
  attemptById(id: number): AttemptRequest | undefined;
  fixtureById(id: number): FixtureRow | undefined;
  /** Newest first. */
  allFixtures(): FixtureRow[];
  insertFixture(values: Omit<FixtureRow, 'id'>): FixtureRow;
  /** false when there was no such fixture (already removed by someone else). */
  deleteFixture(id: number): boolean;
  /** A capture's forwards, in the order their targets were queued. */
  forwardsOf(deliveryId: number): ForwardRow[];
  recordActivity(values: ReturnType<typeof activityValues>): ActivityEntry;
}

export type CapturedSteps<R> = Steps<CapturedOps, R>;

/** One store operation, as a step: `const row = yield* ask('fixtureById', id)`. */
export const ask = <K extends keyof CapturedOps>(name: K, ...args: Parameters<CapturedOps[K]>) => askOp<CapturedOps, K>(name, ...args);
