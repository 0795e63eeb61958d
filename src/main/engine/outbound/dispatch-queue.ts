import type { PushEvent } from '../../../shared/contract';
import type { EndpointRow } from './endpoints';
import type { SendRequest, SendResult } from './http-send';
import type { MessageRow } from './messages';

/** A message this dispatcher holds a claim on, with the endpoint it goes to. */
export type Claimed = [EndpointRow, MessageRow];

/** A send whose answer (or failure) is in, waiting to be recorded. */
export interface Finished {
  endpoint: EndpointRow;
  message: MessageRow;
  req: SendRequest;
  result: SendResult;
  startedAt: number;
  trigger: 'scheduled' | 'manual';
}

/** Which due messages a claim may take: as of `at`, of every endpoint or of one only. */
export interface ClaimScope {
  at: number;
  only: string | null;
  /**
   * Per endpoint, this process's sends that have their answer but are not recorded yet: still
   * claimed in the store, no longer open at the endpoint, so their slots may be taken again.
   */
  answered?: ReadonlyMap<string, number>;
}

/** Slots an endpoint has free: its max in flight less the claims whose lease runs, those already answered here aside. */
export const freeSlots = (maxInFlight: number, liveClaims: number, scope: ClaimScope, endpointId: string) =>
  maxInFlight - liveClaims + (scope.answered?.get(endpointId) ?? 0);

/** Attempts recorded in one transaction, and what their freed slots claimed in it. */
export interface Recorded {
  events: PushEvent[];
  next: Claimed[];
}

/**
 * What a dispatcher takes back when it starts:
 * - 'all': every claim (the only sending process of a desktop data dir restarts after a crash);
 * - 'expired': only claims whose lease ran out (other processes may be sending right now).
 */
export type Recovery = 'all' | 'expired';

/**
 * The queue operations the dispatcher runs per send, and nothing more. Each store has its own
 * form (SQLite: sqlite-dispatch-queue.ts; PostgreSQL: pg-dispatch-queue.ts); the dispatcher
 * does not know which one it has.
 *
 * An endpoint's max in flight holds across every process claiming from the store: a claim
 * counts the endpoint's live claims (state 'sending', lease not run out) in the transaction
 * that claims, and no two such transactions for one endpoint run at once.
 */
export interface DispatchQueue {
  /** Claims due messages, oldest due first, as many per endpoint as it has free slots. */
  claimDue(scope: ClaimScope): Promise<Claimed[]>;
  /** Claims one message whatever the schedule (a trigger or resend); undefined when it is not pending. */
  claimOne(rowId: number, at: number): Promise<Claimed | undefined>;
  /**
   * Records finished attempts, settling each message (done, failed, or due again), and claims
   * what is due for the slots they freed unless `scope` is null: all in one transaction.
   * Attempts whose claim was taken back meanwhile (the lease ran out) record nothing.
   */
  recordAndClaim(finished: Finished[], scope: ClaimScope | null): Promise<Recorded>;
  /** Puts claims whose lease ran out back in the queue; returns how many. */
  reclaimExpired(at: number): Promise<number>;
  /** Takes back what a stopped process left claimed (see Recovery). */
  recoverAtStart(recovery: Recovery, at: number): Promise<void>;
  /** When the earliest pending message of an active endpoint is due; null when none is. */
  nextDue(): Promise<number | null>;
}

/** How long a claim outlasts the endpoint's timeout: time to build the request and record the answer. */
export const CLAIM_MARGIN_MS = 5_000;
export const leaseEnd = (endpoint: Pick<EndpointRow, 'timeoutMs'>, at: number) => at + endpoint.timeoutMs + CLAIM_MARGIN_MS;
