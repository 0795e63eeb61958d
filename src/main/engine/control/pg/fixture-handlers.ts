import { capturedView } from '../../replay/captured-view';
import type { CapturedSteps } from '../../replay/captured-ops';
import { dropFixture, fixtureDetail, fixtureSummaries, saveFixtureAsked } from '../../replay/fixtures';
import { libraryListing } from '../../replay/library';
import { pgCapturedOps } from '../../replay/pg-captured-ops';
import { revealSteps } from '../../replay/reveal';
import { runOpsAsync } from '../../store/steps';
import type { Handlers } from '../handlers';
import type { PgHandlerGroup } from './team-handlers';

type FixtureMethods = 'fixtures.library' | 'fixtures.list' | 'fixtures.get' | 'fixtures.save' | 'fixtures.remove' | 'captured.get' | 'captured.reveal';

/**
 * Fixtures and stored requests on a team server's database: the same steps as on a desktop
 * data dir (replay/fixtures.ts, captured.ts, reveal.ts), so the same requests, masking,
 * errors and activity wording. A reveal's entry is published once it is written.
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
  };
};
