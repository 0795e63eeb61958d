import { eq } from 'drizzle-orm';
import { ApiError } from '../../../shared/contract';
import type { ReplayOptions, ReplayView } from '../../../shared/types';
import type { Db, Queryable } from '../db/open';
import { hooks, replays } from '../db/schema';
import { detectDialects } from '../dialects';
import { signingTokenFor } from '../ids';
import { send } from '../outbound/http-send';
import { HeaderList } from '../receiver/headers';
import type { Receiver } from '../receiver/server';
import type { SecretBox } from '../secrets/secret-box';
import type { ReceiverHook } from '../store/packages';
import { buildReplayRequest } from './build-request';
import { loadCaptured, type Captured } from './captured';

export interface ReplayDeps {
  db: Db;
  box: SecretBox;
  receiver: Receiver;
  lookupHook: (hookId: string) => ReceiverHook | undefined;
}

export function toReplayView(row: typeof replays.$inferSelect): ReplayView {
  return {
    ...row,
    requestHeaders: JSON.parse(row.requestHeaders) as [string, string][],
    requestBodyBase64: row.requestBody.toString('base64'),
    responseHeaders: row.responseHeaders ? (JSON.parse(row.responseHeaders) as [string, string][]) : [],
    responseBody: row.responseBody ? row.responseBody.toString('utf8') : '',
  };
}

function targetHook(deps: ReplayDeps, captured: Captured, packageId: string | undefined): ReceiverHook {
  const hookId = packageId ? deps.db.select({ id: hooks.id }).from(hooks).where(eq(hooks.packageId, packageId)).get()?.id : captured.hookId;
  const hook = hookId ? deps.lookupHook(hookId) : undefined;
  if (!hook) {
    throw new ApiError('invalid_params', packageId ? `No package with id ${packageId}.` : `${captured.ref} was not received by a hook that still exists; give a package or a URL to replay to.`);
  }
  return hook;
}

/** The hook's own secret, in the form this request's scheme uses (GitLab signs with its signing token). */
function hookSecret(deps: ReplayDeps, hook: ReceiverHook, headers: [string, string][]): string {
  const secret = deps.box.open(hook.secretSealed);
  const standard = headers.some(([k]) => k.toLowerCase() === 'webhook-signature');
  return hook.provider === 'gitlab' && standard ? signingTokenFor(secret) : secret;
}

function record(db: Queryable, row: Omit<typeof replays.$inferInsert, 'id'>): ReplayView {
  return toReplayView(db.insert(replays).values(row).returning().get());
}

/** Replays a captured request to this Hookbench's receiver or to any URL, and records what happened. */
export async function runReplay(deps: ReplayDeps, ref: string, options: ReplayOptions): Promise<ReplayView> {
  const captured = loadCaptured(deps.db, ref);
  const body = options.bodyBase64 !== undefined ? Buffer.from(options.bodyBase64, 'base64') : undefined;
  const createdAt = Date.now();
  const base = { mode: options.mode, newId: options.newId, body, headers: options.headers };

  if (!options.to) {
    const hook = targetHook(deps, captured, options.packageId);
    // Into its own receiver an edited request is signed as the provider would: with the hook's secret.
    const resigning = options.mode !== 'exact';
    const request = buildReplayRequest(captured, {
      ...base,
      dialect: options.dialect ?? (resigning ? hook.provider : undefined),
      secret: options.secret ?? (resigning ? hookSecret(deps, hook, captured.headers) : undefined),
    });
    const started = performance.now();
    const answer = await deps.receiver.receive(
      { hookId: hook.hookId, source: 'replay', replayOf: captured.ref, remoteAddress: null, headers: new HeaderList(request.headers), body: request.body },
      hook,
    );
    return record(deps.db, {
      source: captured.ref,
      mode: options.mode,
      targetUrl: `hookbench:/hooks/${hook.hookId}`,
      requestHeaders: JSON.stringify(request.headers),
      requestBody: request.body,
      status: answer.status,
      responseHeaders: JSON.stringify([['content-type', 'application/json']]),
      responseBody: Buffer.from(JSON.stringify(answer.body)),
      durationMs: Math.round(performance.now() - started),
      error: null,
      deliveryId: typeof answer.body.delivery === 'number' ? answer.body.delivery : null,
      createdAt,
    });
  }

  const detected = detectDialects(new HeaderList(captured.headers))[0]?.name;
  const dialect = options.dialect ?? detected;
  if ((options.mode === 'resign' && (!dialect || !options.secret)) || (options.mode === 'edit' && options.dialect && !options.secret)) {
    throw new ApiError('invalid_params', 'Re-signing for a URL needs the secret the receiver expects (and a dialect when none is detected).');
  }
  const request = buildReplayRequest(captured, { ...base, dialect, secret: options.secret });
  const result = await send({ url: options.to, headers: request.headers, body: request.body, timeoutMs: 15_000 });
  return record(deps.db, {
    source: captured.ref,
    mode: options.mode,
    targetUrl: options.to,
    requestHeaders: JSON.stringify(request.headers),
    requestBody: request.body,
    status: result.status,
    responseHeaders: JSON.stringify(result.headers),
    responseBody: result.body,
    durationMs: result.durationMs,
    error: result.error,
    deliveryId: null,
    createdAt,
  });
}
