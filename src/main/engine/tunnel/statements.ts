/**
 * The tunnel's own reads of the database: which hooks a gap puts at risk, and when a tunnel
 * delivery was last stored. Run once per gap, so prepared per call.
 */
import type { Db } from '../db/open';

export interface HookAtRiskRow {
  packageId: string;
  packageName: string;
  provider: 'github' | 'gitlab';
  repo: string;
  hookId: string;
  /** 1 when Hookbench manages the hook upstream through a connection. */
  managed: number;
}

/** Every package's hook, or (allHooks false) only those of packages that have had tunnel deliveries. */
export function hooksOfPackages(db: Db, allHooks: boolean): HookAtRiskRow[] {
  return db.$client
    .prepare(
      `SELECT p.id AS packageId, p.name AS packageName, p.provider, p.repo_full_name AS repo, h.id AS hookId,
              (p.connection_id IS NOT NULL AND h.provider_hook_id IS NOT NULL) AS managed
         FROM packages p JOIN hooks h ON h.package_id = p.id
        WHERE ? = 1 OR EXISTS (SELECT 1 FROM deliveries d WHERE d.package_id = p.id AND d.source = 'tunnel')
        ORDER BY p.created_at`,
    )
    .all(allHooks ? 1 : 0) as HookAtRiskRow[];
}

/** When the last tunnel delivery was stored, or null. */
export function lastTunnelDeliveryAt(db: Db): number | null {
  return (db.$client.prepare("SELECT max(received_at) AS at FROM deliveries WHERE source = 'tunnel'").get() as { at: number | null }).at;
}
