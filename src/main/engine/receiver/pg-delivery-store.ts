import type pg from 'pg';
import type { SecretBox } from '../secrets/secret-box';
import { queueForwards } from '../inbox/forward/queue';
import { toDeliverySummary } from '../store/rows';
import { planBatch, rowEvents } from './delivery-effects';
import { claimsDeliveryId, markRepeat, newDeliveryRow, type DeliveryRow } from './delivery-rows';
import type { CommittedBatch, DeliveryStore } from './delivery-store';
import type { IncomingDelivery } from './delivery-writer';
import { provesHook } from './hook-proof';
import { pgDeliveryStatements, type PgDeliveryStatements } from './pg-delivery-statements';
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
    );
    const plan = planBatch({ hookNeedsProof: (id) => known.hooks.has(id), packageRelays: (id) => known.packages.has(id) }, options.forwarding === true);
    const targets = options.forwarding ? await q.forwardTargets(candidates((row) => (row.packageId === null ? row.hookId : null))) : new Map();
    const done: CommittedBatch = { stored: [], events: [], relayed: 0, forwarded: 0 };
    for (const row of rows) {
      await storeRow(q, row);
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

  /** Inserts the row; when its provider delivery id is taken, records it as a repeat of the copy that took it. */
  async function storeRow(q: PgDeliveryStatements, row: DeliveryRow): Promise<void> {
    if (!claimsDeliveryId(row)) {
      row.id = await q.insert(row);
      return;
    }
    for (let tries = 0; tries < 3; tries++) {
      const id = await q.insertClaiming(row);
      if (id !== undefined) {
        row.id = id;
        return;
      }
      const first = await q.firstDelivery(row.hookId, row.providerDeliveryId);
      if (first !== undefined) {
        markRepeat(row, first);
        row.id = await q.insert(row);
        return;
      }
      // The copy it ran into was removed in between: the id is free again.
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
