import { asc, desc, eq } from 'drizzle-orm';
import { ApiError } from '../../../shared/contract';
import type { Caller } from '../../../shared/access-types';
import type { ReplayView } from '../../../shared/types';
import { fixtures, messages, replays } from '../db/schema';
import { enqueueBody } from '../outbound/enqueue';
import { toMessageView } from '../outbound/messages';
import { deliveriesForExport, exportText } from '../replay/export';
import { getFixture, listFixtures, removeFixture, saveFixtureOn } from '../replay/fixtures';
import { importFile } from '../replay/import';
import { ImportError } from '../replay/import-records';
import { libraryListing } from '../replay/library';
import { refuseCredentialsOutside as refuseOutside } from '../replay/credentials-outside';
import { capturedView } from '../replay/captured-view';
import { sqliteCapturedOps } from '../replay/sqlite-captured-ops';
import { runOps } from '../store/steps';
import { previewReplay, replaySourceFilter, runReplay, toReplayView } from '../replay/replay';
import { revealHeader } from '../replay/reveal';
import { fixtureMessageBody, fixtureReplay, oneFireTarget } from '../replay/fire-at-endpoint';
import { oneTarget } from '../replay/replay-target';
import { recordReplayActivity } from '../replay/replay-activity';
import { receiverBaseUrl } from '../store/settings';
import type { HandlerContext, Handlers } from './handlers';

type ReplayMethods = 'captured.get' | 'captured.reveal' | 'replay.run' | 'replay.preview' | 'replay.list' | `fixtures.${string}` | 'export.run' | `import.${string}`;

const asApiError = (error: unknown) => (error instanceof ImportError ? new ApiError('invalid_params', error.message) : error);

export function createReplayHandlers(ctx: HandlerContext): Pick<Handlers, Extract<keyof Handlers, ReplayMethods>> {
  const { db, bus } = ctx;
  const deps = () => {
    if (!ctx.receiver || !ctx.lookupHook) throw new ApiError('internal', 'Replays need the engine\u2019s receiver.');
    return { db, box: ctx.box, receiver: ctx.receiver, lookupHook: ctx.lookupHook };
  };
  const recorded = (replay: ReplayView) => {
    bus.publish({ type: 'activity', entry: recordReplayActivity(db, replay) });
    return replay;
  };
  const { uploads } = ctx;
  const refuseCredentialsOutside = (caller: Caller, ref: string, to: string | undefined) => runOps(refuseOutside(caller, ref, to), sqliteCapturedOps(db));
  const importUpload = (uploadId: string) =>
    uploads
      .finish(uploadId, (path, name) =>
        // Named as it was sent: the temporary copy's path means nothing to the person who sent it.
        importFile(db, path, (done, total, stage) => stage === 'writing' && bus.publish({ type: 'progress', task: `import ${name}`, done, total }), ctx.box, undefined, name),
      )
      .catch((error: unknown) => {
        throw asApiError(error);
      });
  return {
    'captured.get': ({ ref }) => runOps(capturedView(ref), sqliteCapturedOps(db)),
    'captured.reveal': (request) => {
      const { revealed, entry } = revealHeader(db, ctx.box, request);
      if (entry) bus.publish({ type: 'activity', entry });
      return revealed;
    },
    'replay.run': async ({ ref, ...options }, caller) => {
      refuseCredentialsOutside(caller, ref, options.to);
      return recorded(await runReplay(deps(), ref, oneTarget(options)));
    },
    'replay.preview': ({ ref, ...options }) => previewReplay(deps(), ref, oneTarget(options)),
    'replay.list': ({ source, limit }) =>
      db
        .select()
        .from(replays)
        .where(source ? eq(replays.source, replaySourceFilter(source)) : undefined)
        .orderBy(desc(replays.id))
        .limit(limit)
        .all()
        .map(toReplayView),
    'fixtures.library': libraryListing,
    'fixtures.save': (request) => saveFixtureOn(db, ctx.box, request),
    'fixtures.list': () => listFixtures(db),
    'fixtures.get': ({ id }) => getFixture(db, id),
    'fixtures.remove': ({ id }) => removeFixture(db, id),
    'fixtures.fire': async ({ id, endpointId, to, packageId, inboxId, mode, secret, dialect }, caller) => {
      const fixture = getFixture(db, id);
      oneFireTarget({ endpointId, to, packageId, inboxId });
      if (endpointId) {
        const rowId = db.transaction((tx) => enqueueBody(tx, endpointId, fixtureMessageBody(fixture)));
        ctx.kickDispatcher();
        return { replay: null, message: toMessageView(db.select().from(messages).where(eq(messages.id, rowId)).get()!) };
      }
      const fired = fixtureReplay({ id, to, packageId, inboxId, mode, secret, dialect });
      refuseCredentialsOutside(caller, fired.ref, to);
      const replay = recorded(await runReplay(deps(), fired.ref, fired.options));
      return { replay, message: null };
    },
    'export.run': ({ format, ids, packageId, fixtures: withFixtures }) => {
      const rows = deliveriesForExport(db, { ids, packageId });
      const text = exportText(format, rows, receiverBaseUrl(db), () => ((withFixtures ?? true) ? db.select().from(fixtures).orderBy(asc(fixtures.id)).all() : []));
      return { format, text, count: rows.length };
    },
    // One file in one call: the same staging as a file sent in pieces.
    'import.upload': ({ name, contentBase64 }) => {
      const content = Buffer.from(contentBase64, 'base64');
      const { uploadId } = uploads.begin(name, content.length);
      uploads.append(uploadId, 0, content);
      return importUpload(uploadId);
    },
    'import.begin': ({ name, size }) => uploads.begin(name, size),
    'import.chunk': ({ uploadId, offset, contentBase64 }) => uploads.append(uploadId, offset, Buffer.from(contentBase64, 'base64')),
    'import.finish': ({ uploadId }) => importUpload(uploadId),
    'import.cancel': ({ uploadId }) => uploads.cancel(uploadId),
  };
}
