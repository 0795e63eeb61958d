import type { Pool } from 'pg';
import { ApiError, type PushEvent } from '../../../shared/contract';
import type { EngineBus } from '../bus';
import { tableSql } from '../db/pg/table-sql';
import { messages } from '../db/schema';
import { runOpsAsync } from '../store/steps';
import { endpointSummary } from './endpoint-steps';
import { pgEndpointOps } from './pg-endpoint-ops';

const m = tableSql(messages);
const statements = {
  newest: { name: 'hb_queue_newest', text: `SELECT coalesce(max(${m.column('id')}), 0)::bigint AS id FROM ${m.name}` },
  grownSince: { name: 'hb_queue_grown', text: `SELECT DISTINCT ${m.column('endpointId')} AS "endpointId" FROM ${m.name} WHERE ${m.column('id')} > $1` },
};

/** How soon after a release ingested here the counts are pushed (as on a data dir). */
const SOON_MS = 200;

/**
 * queue-watch.ts on a team server: when this instance ingests a release, the messages it queued
 * have no attempt to report, so the counts of the endpoints that got them are pushed here (once
 * per change) and reach every instance's windows through the bus bridge. Each instance pushes
 * what its own ingest queued.
 */
export function createPgQueueWatch(pool: Pool, bus: EngineBus, now: () => number) {
  let seen: Promise<number> | null = null;
  const lastPushed = new Map<string, string>();
  let soon: NodeJS.Timeout | null = null;
  let checking: Promise<void> = Promise.resolve();
  let off: (() => void) | null = null;

  const newest = async () => Number((await pool.query<{ id: string | number }>(statements.newest)).rows[0]?.id ?? 0);
  // Unknown (the database unreachable at start): every endpoint with messages is looked at once.
  const firstSeen = () => newest().catch(() => 0);

  async function check(): Promise<void> {
    const after = await (seen ??= firstSeen());
    const top = await newest();
    if (top <= after) return;
    const grown = (await pool.query<{ endpointId: string }>({ ...statements.grownSince, values: [after] })).rows.map((row) => row.endpointId);
    seen = Promise.resolve(top);
    for (const id of grown) {
      let summary;
      try {
        summary = await runOpsAsync(endpointSummary(id, now()), pgEndpointOps(pool));
      } catch (error) {
        if (error instanceof ApiError && error.code === 'not_found') continue;
        throw error;
      }
      const key = JSON.stringify(summary);
      if (lastPushed.get(id) === key) continue;
      lastPushed.set(id, key);
      bus.publish({ type: 'endpoint', endpoint: summary });
    }
  }

  function checkSoon(): void {
    if (soon || !off) return;
    soon = setTimeout(() => {
      soon = null;
      checking = checking.then(check).catch((error: unknown) => process.emitWarning(`Endpoint counts could not be read: ${(error as Error).message}`));
    }, SOON_MS);
    soon.unref();
  }

  return {
    start(): void {
      if (off) return;
      seen ??= firstSeen();
      off = bus.subscribeLocal((event: PushEvent) => {
        if (event.type === 'release') checkSoon();
      });
    },
    async stop(): Promise<void> {
      off?.();
      off = null;
      if (soon) clearTimeout(soon);
      soon = null;
      await checking;
    },
  };
}
