import type Database from 'better-sqlite3';
import { rawTable } from '../db/raw-table';
import { deliveries, hooks } from '../db/schema';

type DeliveryRow = typeof deliveries.$inferSelect;

/**
 * A request the provider itself sent (not a replay or an import) whose signature verified
 * proves the hook is set up: the URL and the secret are where they belong.
 */
export const provesHook = (row: DeliveryRow) =>
  row.verdict === 'valid' && row.outcome !== 'rejected' && (row.source === 'direct' || row.source === 'tunnel');

/**
 * Marks hooks verified by their first proving delivery. Asked once per hook per receiver
 * batch, and it writes only for a hook not yet verified, so a stream of deliveries to an
 * active hook costs one indexed read per batch.
 */
export function prepareHookProof(sqlite: Database.Database) {
  const rows = rawTable(sqlite, hooks);
  const c = rows.column;
  const needsProof = sqlite
    .prepare<[string], number>(`SELECT 1 FROM ${rows.name} WHERE ${c('id')} = ? AND (${c('verifiedAt')} IS NULL OR ${c('status')} = 'unregistered')`)
    .pluck();
  const markVerified = sqlite.prepare<[reason: string, at: number, id: string]>(
    `UPDATE ${rows.name} SET ${c('status')} = 'active', ${c('statusReason')} = ?, ${c('verifiedAt')} = ? WHERE ${c('id')} = ?`,
  );
  /** Hooks asked about in the batch under way. */
  let asked = new Set<string>();

  return {
    /** Call at the start of each batch: what changed since (another process, a rotation) is read again. */
    nextBatch(): void {
      asked = new Set();
    },
    /** True when this delivery is what verified its hook (the caller records it). */
    note(row: DeliveryRow): boolean {
      // A ping verifies its hook on its own (and says so); this is for every other delivery.
      if (row.outcome === 'ping' || !provesHook(row) || asked.has(row.hookId)) return false;
      asked.add(row.hookId);
      if (needsProof.get(row.hookId) === undefined) return false;
      const what = row.event ? `"${row.event}" delivery` : 'delivery';
      markVerified.run(`Verified by the ${what} #${row.id}: its signature matches the hook's secret.`, row.receivedAt, row.hookId);
      return true;
    },
  };
}
