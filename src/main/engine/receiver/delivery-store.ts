import type { PushEvent } from '../../../shared/contract';
import type { DeliverySummary } from '../../../shared/types';
import type { IncomingDelivery } from './delivery-writer';

export interface StoredDelivery {
  summary: DeliverySummary;
  /** Set when the provider already delivered this id: the request was recorded as a repeat. */
  duplicateOf: number | null;
}

/** One batch as committed: a row per delivery in order, and what to tell once it is durable. */
export interface CommittedBatch {
  stored: StoredDelivery[];
  events: PushEvent[];
  /** Relay messages queued for the dispatcher. */
  relayed: number;
  /** Inbox forwards queued for the forwarder. */
  forwarded: number;
}

/**
 * What one group commit needs of the database, in a SQLite form (sqlite-delivery-store.ts) and a
 * PostgreSQL form (pg-delivery-store.ts). Each stores a batch in one transaction with the same
 * rules: a provider delivery id is taken once per receiving address and later copies are
 * recorded as repeats of it; a rejected request never takes one; a hook's first proving
 * delivery marks it verified; relays, inbox forwards and feed entries commit with their rows.
 */
export interface DeliveryStore {
  /**
   * Stores a batch in one transaction, all or nothing. SQLite answers at once; PostgreSQL with a
   * promise that settles once its COMMIT did.
   */
  commit(batch: IncomingDelivery[]): CommittedBatch | Promise<CommittedBatch>;
  /** Calls back once every batch committed before this call is durable, or with why it is not. */
  afterCommit(done: (error: Error | null) => void): void;
  /**
   * What a failed commit means: `busy`, try the same batch again shortly (another writer holds
   * what it needs); `row`, one of its rows was refused (commit them one by one); `fatal`, the
   * database cannot take any of it now.
   */
  failure(error: unknown): 'busy' | 'row' | 'fatal';
  /** Waits for what is committed to be durable, then lets go of what the store holds. */
  close(): Promise<void>;
}
