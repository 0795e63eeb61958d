import { refuseCredentialsOutside } from '../../replay/credentials-outside';
import { pgCapturedOps } from '../../replay/pg-captured-ops';
import { pgRunReplay } from '../../replay/pg-run-replay';
import { oneTarget } from '../../replay/replay-target';
import { runOpsAsync } from '../../store/steps';
import type { Handlers } from '../handlers';
import type { PgHandlerGroup } from './team-handlers';

/**
 * Replays on a team server's database, as on a desktop data dir: to a URL, back into the
 * package or inbox it came from, or into another; into this Hookbench through this instance's
 * receiver (stored in PostgreSQL, ingested by whichever instance claims it). The same
 * requests, refusals, recorded rows and feed entries; the entry is published once written.
 */
export const pgReplayHandlers: PgHandlerGroup = ({ pool, box, bus, receiver }): Pick<Handlers, 'replay.run'> => ({
  'replay.run': async ({ ref, ...options }, caller) => {
    await runOpsAsync(refuseCredentialsOutside(caller, ref, options.to), pgCapturedOps(pool));
    const { replay, entry } = await pgRunReplay({ pool, box, receiver }, ref, oneTarget(options));
    bus.publish({ type: 'activity', entry });
    return replay;
  },
});
