import { inTransaction } from '../../db/pg/transaction';
import { pgEndpointOps } from '../../outbound/pg-endpoint-ops';
import { capturedView } from '../../replay/captured-view';
import { refuseCredentialsOutside } from '../../replay/credentials-outside';
import { fireAtEndpoint, fixtureReplay, oneFireTarget } from '../../replay/fire-at-endpoint';
import type { CapturedSteps } from '../../replay/captured-ops';
import { dropFixture, fixtureDetail, fixtureSummaries, saveFixtureAsked } from '../../replay/fixtures';
import { libraryListing } from '../../replay/library';
import { pgCapturedOps } from '../../replay/pg-captured-ops';
import { pgReplayOps } from '../../replay/pg-replay-ops';
import { pgRunReplay } from '../../replay/pg-run-replay';
import { previewSteps, replaySourceFilter, toReplayView } from '../../replay/replay';
import { pgReplaySql } from '../../replay/pg-replay-statements';
import { oneTarget } from '../../replay/replay-target';
import { revealSteps } from '../../replay/reveal';
import { runOpsAsync } from '../../store/steps';
import type { Handlers } from '../handlers';
import type { PgHandlerGroup } from './team-handlers';

type ReplayRow = Parameters<typeof toReplayView>[0];

type FixtureMethods =
  'fixtures.library' | 'fixtures.list' | 'fixtures.get' | 'fixtures.save' | 'fixtures.remove' | 'captured.get' | 'captured.reveal' | 'replay.preview' | 'fixtures.fire' | 'replay.list';

/**
 * Fixtures and stored requests on a team server's database: the same steps as on a desktop
 * data dir (replay/fixtures.ts, captured.ts, reveal.ts), so the same requests, masking,
 * errors and activity wording. A reveal's entry is published once it is written. A replay is
 * previewed as on a desktop (the request it would send and what it would set off); a fixture is
 * fired at an endpoint as a queued message, and at a URL, a package or an inbox as a replay
 * (pgRunReplay: into a package or an inbox through this instance's receiver).
 */
export const pgFixtureHandlers: PgHandlerGroup = (ctx): Pick<Handlers, FixtureMethods> => {
  const { pool, box, bus } = ctx;
  const run = <R>(steps: CapturedSteps<R>): Promise<R> => runOpsAsync(steps, pgCapturedOps(pool));
  return {
    'fixtures.library': libraryListing,
    'fixtures.list': () => run(fixtureSummaries()),
    'fixtures.get': ({ id }) => run(fixtureDetail(id)),
    'fixtures.save': (request) => run(saveFixtureAsked(box, request, ctx.now())),
    'fixtures.remove': ({ id }) => run(dropFixture(id)),
    'captured.get': ({ ref }) => run(capturedView(ref)),
    'captured.reveal': async (request) => {
      const { revealed, entry } = await run(revealSteps(box, request, ctx.now()));
      if (entry) bus.publish({ type: 'activity', entry });
      return revealed;
    },
    'fixtures.fire': async ({ id, endpointId, ...params }, caller) => {
      const fixture = await run(fixtureDetail(id));
      oneFireTarget({ endpointId, ...params });
      if (endpointId) {
        const { result } = await inTransaction(pool, (client) => runOpsAsync(fireAtEndpoint(endpointId, fixture, ctx.now()), pgEndpointOps(client)));
        ctx.kickDispatcher();
        return { replay: null, message: result };
      }
      const fired = fixtureReplay({ id, ...params });
      await run(refuseCredentialsOutside(caller, fired.ref, params.to));
      const { replay, entry } = await pgRunReplay({ pool, box, receiver: ctx.receiver }, fired.ref, fired.options);
      bus.publish({ type: 'activity', entry });
      return { replay, message: null };
    },
    'replay.list': async ({ source, limit }) => {
      const { rows } = await pool.query<ReplayRow>({ ...pgReplaySql.replays, values: [source ? replaySourceFilter(source) : null, limit] });
      return rows.map(toReplayView);
    },
    'replay.preview': ({ ref, ...options }) => runOpsAsync(previewSteps(box, ref, oneTarget(options), ctx.now()), pgReplayOps(pool)),
  };
};
