import type { ActivityEntry, AttemptView, MessageView } from '../../../shared/types';
import type { activityValues } from '../store/activity';
import { askOp, type Steps } from '../store/steps';
import type { NewMessage } from './enqueue';
import type { EndpointRow } from './endpoints';
import type { MessageRow, ResendRun } from './messages';
import type { SeriesRow, StatsInputs } from './stats';

/**
 * What the control API's endpoint and message methods ask of the store. The methods are
 * written once as steps (endpoint-steps.ts, message-steps.ts); SQLite answers them at once
 * (sqlite-endpoint-ops.ts), PostgreSQL over the network (pg-endpoint-ops.ts).
 */
export interface EndpointOps {
  endpointById(id: string): EndpointRow | undefined;
  /** Oldest first; endpoints made in the same millisecond by id. */
  allEndpoints(): EndpointRow[];
  packageExists(id: string): boolean;
  statsInputs(endpointId: string): StatsInputs;
  insertEndpoint(row: EndpointRow): void;
  updateEndpoint(id: string, changes: Partial<EndpointRow>): void;
  /** The endpoint with its messages and attempts; never inside a SQLite transaction (a long history goes in slices). */
  removeEndpoint(id: string): Promise<void>;
  recordActivity(values: ReturnType<typeof activityValues>): ActivityEntry;
  /** On PostgreSQL the row stays locked until the transaction ends: no dispatcher claims it meanwhile. */
  messageByRowId(rowId: number): MessageRow | undefined;
  /** The endpoint's failed messages created since `since`, oldest first. */
  failedSince(endpointId: string, since: number): Pick<MessageRow, 'id' | 'attemptCount' | 'source'>[];
  resendMessages(runs: ResendRun[]): void;
  insertMessage(message: NewMessage): number;
  /** Their row ids, in the order given. */
  insertMessages(messages: NewMessage[]): number[];
  /** Newest first, below a row id. */
  messagesBelow(endpointId: string, beforeId: number, limit: number): MessageView[];
  attemptsBelow(endpointId: string, beforeId: number, limit: number): AttemptView[];
  countMessages(endpointId: string): number;
  countAttempts(endpointId: string): number;
  /** The endpoint's attempts started since `since`, in start order. */
  seriesRows(endpointId: string, since: number): SeriesRow[];
}

export type EndpointSteps<R> = Steps<EndpointOps, R>;

/** One store operation, as a step: `const row = yield* ask('endpointById', id)`. */
export const ask = <K extends keyof EndpointOps>(name: K, ...args: Parameters<EndpointOps[K]>) => askOp<EndpointOps, K>(name, ...args);
