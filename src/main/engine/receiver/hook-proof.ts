import type Database from 'better-sqlite3';
import { rawTable } from '../db/raw-table';
import { hooks } from '../db/schema';
import type { DeliveryRow } from './delivery-rows';

/**
 * A request the provider itself sent (not a replay or an import) whose signature verified
 * proves the hook is set up: the URL and the secret are where they belong.
 */
export const provesHook = (row: DeliveryRow) =>
  row.verdict === 'valid' && row.outcome !== 'rejected' && (row.source === 'direct' || row.source === 'tunnel');

/** A hook marked verified, and why (see delivery-effects.ts for when). */
export interface HookVerified {
  hookId: string;
  reason: string;
  at: number;
}

/**
 * The hook statements of the receiver's SQLite store. Whether a hook still needs its proof is
 * asked once per hook per batch, and written only for a hook not yet verified, so a stream of
 * deliveries to an active hook costs one indexed read per batch.
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
  return {
    needsProof: (hookId: string): boolean => needsProof.get(hookId) !== undefined,
    markVerified: (v: HookVerified): void => void markVerified.run(v.reason, v.at, v.hookId),
  };
}
