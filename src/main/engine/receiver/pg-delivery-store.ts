import type pg from 'pg';
import type { SecretBox } from '../secrets/secret-box';
import { queueForwards } from '../inbox/forward/queue';
import { toDeliverySummary } from '../store/rows';
import { planBatch, rowEvents } from './delivery-effects';
import { claimsDeliveryId, markRepeat, newDeliveryRow, type DeliveryRow } from './delivery-rows';
import type { CommittedBatch, DeliveryStore } from './delivery-store';
import type { IncomingDelivery } from './delivery-writer';
import { provesHook } from './hook-proof';
import { pgDeliveryStatements, type DeliveryKey, type PgDeliveryStatements } from './pg-delivery-statements';
import { enqueueRelayPg } from './pg-relay';

export interface PgDeliveryStoreOptions {
  /** Seals credential headers at rest; the engine always gives its own. */
  box?: SecretBox;
  /** Queue inbox captures for their forward targets inside their commit. */
  forwarding?: boolean;
}

/**
 * synchronous_commit = on, set for each batch's transaction whatever the server's default:
 * COMMIT returns only once the commit record is flushed to the server's WAL (and, where the
 * server names synchronous standbys, to theirs). The COMMIT's answer is the acknowledgement.
 */
const BEGIN = 'BEGIN; SET LOCAL synchronous_commit = on';

const deliveryKey = (hookId: string, providerDeliveryId: string) => `${hookId}\u0000${providerDeliveryId}`;

/** Whether the row goes into the unique index: it claims its provider delivery id and is no known repeat. */
const takesDeliveryId = <T extends Pick<DeliveryRow, 'providerDeliveryId' | 'outcome' | 'duplicateOf'>>(row: T): row is T & { providerDeliveryId: string } =>
  row.duplicateOf === null && claimsDeliveryId(row);

/** Retryable: the batch lost a race and was rolled back whole (deadlock, serialization failure). */
const RETRY_CODES = new Set(['40001', '40P01']);

/**
 * The PostgreSQL group commit: a batch is one transaction on a pooled connection, and is
 * durable once its COMMIT returns. Several instances may write to one database at once: the
 * unique index on (receiving address, provider delivery id) decides which copy is the original.
 */
export function createPgDeliveryStore(pool: pg.Pool, options: PgDeliveryStoreOptions = {}): DeliveryStore {
  async function commit(batch: IncomingDelivery[]): Promise<CommittedBatch> {
    const client = await pool.connect();
    let broken: Error | undefined;
    // The server going away between two statements is said here; the next statement then fails.
    const lost = (error: Error) => (broken = error);
    client.on('error', lost);
    try {
      await client.query(BEGIN);
      const done = await storeBatch(pgDeliveryStatements(client), client, batch);
      await client.query('COMMIT');
      return done;
    } catch (error) {
      // A connection that cannot even roll back is not given back to the pool.
      if (!broken) await client.query('ROLLBACK').catch(lost);
      throw error;
    } finally {
      client.off('error', lost);
      client.release(broken);
    }
  }

  async function storeBatch(q: PgDeliveryStatements, client: pg.PoolClient, batch: IncomingDelivery[]): Promise<CommittedBatch> {
    const rows = batch.map((delivery) => newDeliveryRow(delivery, options.box));
    const candidates = (keep: (row: DeliveryRow) => string | null) => [...new Set(rows.map(keep).filter((id): id is string => id !== null))];
    const known = await q.batchFacts(
      candidates((row) => (provesHook(row) ? row.hookId : null)),
      candidates((row) => (row.verdict === 'valid' && row.outcome !== 'rejected' ? row.packageId : null)),
      rows.filter(claimsDeliveryId),
    );
    markKnownRepeats(rows, known.firsts);
    const plan = planBatch({ hookNeedsProof: (id) => known.hooks.has(id), packageRelays: (id) => known.packages.has(id) }, options.forwarding === true);
    const targets = options.forwarding ? await q.forwardTargets(candidates((row) => (row.packageId === null ? row.hookId : null))) : new Map();
    const done: CommittedBatch = { stored: [], events: [], relayed: 0, forwarded: 0 };
    const takenBy = await insertBatch(q, rows);
    for (const row of rows) {
      if (row.id === 0) await storeRow(q, row, takenBy.get(row));
      const summary = toDeliverySummary(row);
      done.stored.push({ summary, duplicateOf: row.duplicateOf });
      const effects = plan(row);
      if (effects.verifyHook) await q.markVerified(effects.verifyHook);
      const proofEntry = effects.proof && (await q.recordActivity(effects.proof));
      if (effects.relay) done.relayed += await enqueueRelayPg(client, row);
      if (effects.forward) {
        const queued: Parameters<typeof q.insertForward>[0][] = [];
        done.forwarded += queueForwards({ targetsOf: ({ inboxId }) => targets.get(inboxId) ?? [], queue: (forward) => queued.push(forward) }, row);
        for (const forward of queued) await q.insertForward(forward);
      }
      const entry = effects.activity && (await q.recordActivity(effects.activity));
      done.events.push(...rowEvents(summary, effects, proofEntry, entry));
    }
    return done;
  }

  /**
   * A copy of a provider delivery id stored before this batch is a repeat before it is inserted,
   * so it goes in with the batch in arrival order, and its id is not spent on a skipped insert.
   */
  function markKnownRepeats(rows: DeliveryRow[], firsts: (DeliveryKey & { id: number })[]): void {
    const firstOf = new Map(firsts.map((first) => [deliveryKey(first.hookId, first.providerDeliveryId), first.id]));
    for (const row of rows) {
      if (!claimsDeliveryId(row)) continue;
      const first = firstOf.get(deliveryKey(row.hookId, row.providerDeliveryId));
      if (first !== undefined) markRepeat(row, first);
    }
  }

  /**
   * Inserts the batch in arrival order and gives each row its id: in one statement, or one more
   * after each copy of a provider delivery id whose first copy is in the same batch, so that copy
   * goes in as its repeat, in its place. A row left without an id had its provider delivery id
   * taken (by another instance meanwhile, or by a row of this batch that was): the map says by
   * which row of this batch, if any.
   */
  async function insertBatch(q: PgDeliveryStatements, rows: DeliveryRow[]): Promise<Map<DeliveryRow, DeliveryRow>> {
    const takenBy = new Map<DeliveryRow, DeliveryRow>();
    const firstOfKey = new Map<string, DeliveryRow>();
    let segment = new Set<DeliveryRow>();
    for (const row of rows) {
      if (takesDeliveryId(row)) {
        const key = deliveryKey(row.hookId, row.providerDeliveryId);
        const earlier = firstOfKey.get(key);
        if (!earlier) firstOfKey.set(key, row);
        else {
          if (segment.has(earlier)) {
            await insertSegment(q, [...segment]);
            segment = new Set();
          }
          if (earlier.id === 0) {
            takenBy.set(row, earlier);
            continue;
          }
          markRepeat(row, earlier.id);
        }
      }
      segment.add(row);
    }
    if (segment.size > 0) await insertSegment(q, [...segment]);
    return takenBy;
  }

  /** Inserts rows of which no two take the same provider delivery id, in one statement; one whose id is taken is left with id 0. */
  async function insertSegment(q: PgDeliveryStatements, rows: DeliveryRow[]): Promise<void> {
    const inserted = await q.insertBatch(rows);
    const byKey = new Map<string, number>();
    // Rows that take no id never conflict: they come back in arrival order, as their ids rise.
    const others: number[] = [];
    for (const r of inserted) {
      if (takesDeliveryId(r)) byKey.set(deliveryKey(r.hookId, r.providerDeliveryId), r.id);
      else others.push(r.id);
    }
    others.sort((a, b) => a - b);
    let next = 0;
    for (const row of rows) {
      if (takesDeliveryId(row)) {
        row.id = byKey.get(deliveryKey(row.hookId, row.providerDeliveryId)) ?? 0;
        continue;
      }
      const id = others[next++];
      // Only an id that claims nothing yet sits in the unique index (an empty one): refused as SQLite refuses it.
      if (id === undefined) throw Object.assign(new Error(`Delivery id "${row.providerDeliveryId}" is already stored for ${row.hookId}.`), { code: '23505' });
      row.id = id;
    }
  }

  /** Stores a row the batch insert skipped: as a repeat of the copy that took its provider delivery id. */
  async function storeRow(q: PgDeliveryStatements, row: DeliveryRow, earlier: DeliveryRow | undefined): Promise<void> {
    if (!claimsDeliveryId(row)) throw new Error('only a row that takes a provider delivery id is left without an id');
    // A copy earlier in this batch that took the id is the original (unless it too was a repeat).
    if (earlier && earlier.duplicateOf === null) {
      markRepeat(row, earlier.id);
      row.id = await q.insert(row);
      return;
    }
    for (let tries = 0; tries < 3; tries++) {
      const first = await q.firstDelivery(row.hookId, row.providerDeliveryId);
      if (first !== undefined) {
        markRepeat(row, first);
        row.id = await q.insert(row);
        return;
      }
      // The copy it ran into was removed in between: the id is free again.
      const id = await q.insertClaiming(row);
      if (id !== undefined) {
        row.id = id;
        return;
      }
    }
    throw new Error(`Provider delivery id ${row.providerDeliveryId} kept being taken and removed again; the delivery was not stored.`);
  }

  return {
    commit,
    afterCommit(done) {
      try {
        done(null);
      } catch (thrown) {
        // The caller's mistake must not look like a failed commit.
        queueMicrotask(() => {
          throw thrown;
        });
      }
    },
    failure(error) {
      const code = (error as { code?: unknown } | null)?.code;
      if (typeof code !== 'string') return 'fatal';
      if (RETRY_CODES.has(code)) return 'busy';
      // Data exceptions and integrity violations belong to one row; anything else to the database.
      return code.startsWith('22') || code.startsWith('23') ? 'row' : 'fatal';
    },
    // The pool is the caller's.
    close: async () => undefined,
  };
}
