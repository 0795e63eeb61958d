import type { SendResult } from '../../outbound/http-send';
import type { CapturedRequest, ForwardRow, ForwardTargetRow, Settled } from './statements';

/** A forward's attempt whose answer (or failure) is in, waiting to be recorded. */
export interface FinishedForward {
  row: ForwardRow;
  result: SendResult;
}

/** How a finished attempt leaves its forward, given its target as it is now (undefined: removed meanwhile). */
export type DecideSettlement = (job: FinishedForward, target: ForwardTargetRow | undefined, at: number) => Settled;

/**
 * The forward queue's operations, and nothing more. Each store has its own form (SQLite:
 * sqlite-forward-queue.ts; PostgreSQL: pg-forward-queue.ts); the worker does not know which one
 * it has. A claim is a lease: a row moves to 'sending' with an end time, so two processes never
 * send the same row; a claim that outlives its end (its process died) is taken back.
 */
export interface ForwardQueue {
  /** When the earliest pending forward is due; null when none is. */
  nextDue(): Promise<number | null>;
  /** Claims due forwards until `until`, oldest due first, at most `free(url)` per target URL. */
  claimDue(at: number, until: number, free: (targetUrl: string) => number): Promise<ForwardRow[]>;
  /** Claims one forward whatever its schedule; undefined when it is not pending (someone has it, or it is done). */
  claimOne(id: number, at: number, until: number): Promise<ForwardRow | undefined>;
  /** Puts claims whose lease ran out back in the queue; returns how many. */
  reclaimExpired(at: number): Promise<number>;
  /** Hands claims back (a stopping process): sent again by whoever claims next. */
  release(ids: number[]): Promise<void>;
  target(inboxId: string, url: string): Promise<ForwardTargetRow | undefined>;
  captured(deliveryId: number): Promise<CapturedRequest | undefined>;
  /** The capture's forward whose target passes its answer back to the sender, if any. */
  passBackRow(deliveryId: number): Promise<number | undefined>;
  byId(id: number): Promise<ForwardRow | undefined>;
  /** The capture keeps the status its sender was actually given (a pass-back target's). */
  answeredWith(deliveryId: number, status: number): Promise<void>;
  /**
   * Records a finished attempt on a row still claimed by it, as `decide` says; gives the row as
   * it is now (undefined when it is gone: its capture was deleted).
   */
  record(job: FinishedForward, decide: DecideSettlement): Promise<ForwardRow | undefined>;
}
