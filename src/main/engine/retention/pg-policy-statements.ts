import type { Pool } from 'pg';
import type { RetentionOverride, RetentionScope } from '../../../shared/retention-types';
import { pgNames } from '../db/pg/transaction';
import { retentionPolicies } from '../db/schema';
import { fromColumn, scopeKey, TABLES, toColumn, type OverrideScope, type StoredPolicy } from './policy-statements';

const r = pgNames(retentionPolicies);

type PolicyRow = typeof retentionPolicies.$inferSelect;

/** The retention settings' statements (RetentionPolicyStatements) on a team server's database. */
export function pgRetentionPolicyStatements(pool: Pool) {
  return {
    async all(): Promise<StoredPolicy[]> {
      const { rows } = await pool.query<PolicyRow>(`SELECT ${r.selectList()} FROM ${r.name}`);
      return rows.map((row) => ({
        scope: row.scope,
        id: row.scopeId,
        limits: { days: fromColumn(row.days), maxDeliveries: fromColumn(row.maxDeliveries), maxBytes: fromColumn(row.maxBytes) },
        updatedAt: row.updatedAt,
      }));
    },
    async put(scope: RetentionScope, id: string, limits: RetentionOverride, at: number): Promise<void> {
      const cols = ['scope', 'scopeId', 'days', 'maxDeliveries', 'maxBytes', 'updatedAt'].map(r.column);
      await pool.query(
        `INSERT INTO ${r.name} (${cols.join(', ')}) VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (${cols[0]}, ${cols[1]}) DO UPDATE SET ${cols
           .slice(2)
           .map((c) => `${c} = excluded.${c}`)
           .join(', ')}`,
        [scope, id, toColumn(limits.days), toColumn(limits.maxDeliveries), toColumn(limits.maxBytes), at],
      );
    },
    async drop(scope: OverrideScope, id: string): Promise<void> {
      await pool.query(`DELETE FROM ${r.name} WHERE ${r.column('scope')} = $1 AND ${r.column('scopeId')} = $2`, [scope, id]);
    },
    async names(): Promise<Map<string, string>> {
      const names = new Map<string, string>();
      for (const [scope, table] of Object.entries(TABLES) as [OverrideScope, (typeof TABLES)[OverrideScope]][]) {
        const t = pgNames(table);
        const { rows } = await pool.query<{ id: string; name: string }>(`SELECT ${t.column('id')} AS id, ${t.column('name')} AS name FROM ${t.name}`);
        for (const row of rows) names.set(scopeKey(scope, row.id), row.name);
      }
      return names;
    },
    async exists(scope: OverrideScope, id: string): Promise<boolean> {
      const t = pgNames(TABLES[scope]);
      const { rowCount } = await pool.query(`SELECT 1 FROM ${t.name} WHERE ${t.column('id')} = $1`, [id]);
      return (rowCount ?? 0) > 0;
    },
  };
}
