/**
 * Catch-up after tunnel gaps: for each package Hookbench manages upstream that a gap put at
 * risk, the provider's catch-up (redeliver what failed, then reconcile tags); the others
 * are listed with how to redeliver at the provider, since only a person can do that.
 * Gaps are marked caught up once every managed package of theirs went through.
 */
import type { CatchUpResult, TunnelCatchUp } from '../../../shared/types';
import type { GapLog } from './gap-log';

export type CatchUpRunner = (input: { id: string; redeliver: boolean; reconcile: boolean }) => Promise<CatchUpResult>;

export async function catchUpGaps(gaps: GapLog, run: CatchUpRunner, now: () => number, record: (message: string) => unknown): Promise<TunnelCatchUp> {
  const open = (await gaps.list()).filter((g) => g.caughtUpAt === null);
  const byHand = open.flatMap((g) => g.hooks.filter((h) => !h.managed));
  const result: TunnelCatchUp = { caughtUp: [], failed: [], byHand, gaps: [] };
  for (const packageId of await gaps.toCatchUp()) {
    try {
      result.caughtUp.push(await run({ id: packageId, redeliver: true, reconcile: true }));
    } catch (error) {
      result.failed.push({ packageId, reason: (error as Error).message });
    }
  }
  if (result.caughtUp.length > 0 && result.failed.length === 0) await gaps.caughtUp(now());
  if (result.caughtUp.length > 0 || result.failed.length > 0) {
    const reconciled = result.caughtUp.reduce((n, r) => n + r.reconciled.length, 0);
    const redelivered = result.caughtUp.reduce((n, r) => n + r.redelivered.length, 0);
    await record(
      `Catch-up after tunnel gaps: ${result.caughtUp.length} package(s) caught up (${redelivered} redelivered, ${reconciled} tag(s) reconciled)` +
        (result.failed.length ? `; ${result.failed.length} could not be: ${result.failed.map((f) => `${f.packageId}: ${f.reason}`).join('; ')}` : '') +
        '.',
    );
  }
  result.gaps = await gaps.list();
  return result;
}
