import type { Pool } from 'pg';
import type { ActivityEntry, ReplayOptions, ReplayView } from '../../../shared/types';
import type { SecretBox } from '../secrets/secret-box';
import { pgRecordActivity } from '../store/pg-activity-statements';
import { pgHookLookupSql } from '../store/pg-hook-lookup';
import { runOpsAsync } from '../store/steps';
import { pgReplayOps } from './pg-replay-ops';
import { pgReplaySql, REPLAY_VALUES } from './pg-replay-statements';
import { prepareReplay, toReplayView } from './replay';
import { replayActivity, replayedIntoHook } from './replay-activity';
import { sendReplay, type ReplayReceiver } from './send-replay';

type ReplayRow = Parameters<typeof toReplayView>[0];

/**
 * runReplay on a team server's database: prepared by the same steps, sent the same way (into
 * this instance's receiver, which stores into PostgreSQL, or to a URL), recorded with the same
 * row and feed entry.
 */
export async function pgRunReplay(
  deps: { pool: Pool; box: SecretBox; receiver: ReplayReceiver | undefined },
  ref: string,
  options: ReplayOptions,
): Promise<{ replay: ReplayView; entry: ActivityEntry }> {
  const { pool, box } = deps;
  const prepared = await runOpsAsync(prepareReplay(box, ref, options), pgReplayOps(pool));
  const values = await sendReplay(deps.receiver, box, prepared, options.mode);
  const { rows } = await pool.query<ReplayRow>({ ...pgReplaySql.insertReplay, values: REPLAY_VALUES.map((key) => values[key] ?? null) });
  const replay = toReplayView(rows[0]!);
  const hookId = replayedIntoHook(replay);
  const packageId = hookId ? ((await pool.query<{ packageId: string }>({ ...pgHookLookupSql.one, values: [hookId] })).rows[0]?.packageId ?? null) : null;
  return { replay, entry: await pgRecordActivity(pool, replayActivity(replay, packageId)) };
}
