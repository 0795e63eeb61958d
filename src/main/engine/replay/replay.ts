import { ApiError } from '../../../shared/contract';
import { HIDDEN, HIDDEN_IN_URL, maskHeaders, maskUrl, restoreMaskedUrl } from '../../../shared/secret-headers';
import type { ReplayOptions, ReplayPreview, ReplayView } from '../../../shared/types';
import type { Db, Queryable } from '../db/open';
import { replays } from '../db/schema';
import { detectDialects, getDialect } from '../dialects';
import { signingTokenFor } from '../ids';
import { HeaderList } from '../receiver/headers';
import type { Receiver } from '../receiver/server';
import { openHeaders, parseHeaders } from '../secrets/header-seal';
import type { SecretBox } from '../secrets/secret-box';
import type { ReceiverHook } from '../store/packages';
import { buildReplayRequest, type BuildOptions } from './build-request';
import { forRepository } from './library';
import { capturedRequest, type Captured } from './captured';
import { replayEffect } from './replay-effect';
import { targetInbox, withCapturedPath } from './replay-target';
import { NO_DIALECT } from '../inbox/inboxes';
import { runOps } from '../store/steps';
import { askReplay as ask, type InboxTarget, type ReplaySteps } from './replay-ops';
import { sqliteReplayOps } from './sqlite-replay-ops';
import { sendReplay, type ReplayValues } from './send-replay';

export interface ReplayDeps {
  db: Db;
  box: SecretBox;
  receiver: Receiver;
  lookupHook: (hookId: string) => ReceiverHook | undefined;
}

export function toReplayView({ requestBody, ...row }: typeof replays.$inferSelect): ReplayView {
  return {
    ...row,
    method: row.method ?? 'POST',
    targetUrl: maskUrl(row.targetUrl),
    requestHeaders: maskHeaders(parseHeaders(row.requestHeaders)),
    requestBodyBase64: requestBody.toString('base64'),
    responseHeaders: row.responseHeaders ? maskHeaders(parseHeaders(row.responseHeaders)) : [],
    responseBody: row.responseBody ? row.responseBody.toString('utf8') : '',
  };
}

/** replay.list's filter: a bare delivery id names the delivery, as everywhere else. */
export const replaySourceFilter = (source: string) => (/^\d+$/.test(source) ? `delivery:${source}` : source);

function* targetHook(captured: Captured, packageId: string | undefined): ReplaySteps<ReceiverHook> {
  const hookId = packageId ? yield* ask('hookIdOfPackage', packageId) : captured.hookId;
  const hook = hookId ? yield* ask('hookById', hookId) : undefined;
  if (!hook) {
    throw new ApiError('invalid_params', packageId ? `No package with id ${packageId}.` : `${captured.ref} was not received by a hook that still exists; give a package or a URL to replay to.`);
  }
  return hook;
}

/** The hook's own secret, in the form this request's scheme uses (GitLab signs with its signing token). */
function hookSecret(box: SecretBox, hook: ReceiverHook, headers: [string, string][]): string {
  const secret = box.open(hook.secretSealed);
  const standard = headers.some(([k]) => k.toLowerCase() === 'webhook-signature');
  return hook.provider === 'gitlab' && standard ? signingTokenFor(secret) : secret;
}

function record(db: Queryable, row: ReplayValues): ReplayView {
  return toReplayView(db.insert(replays).values(row).returning().get());
}

/** Where a replay goes and the exact request it sends there. */
export interface PreparedReplay {
  captured: Captured;
  /** The hook it goes into, or null for a URL or an inbox. */
  hook: ReceiverHook | null;
  /** The inbox it goes into, with the capture's method and path. */
  inbox: InboxTarget | null;
  /** The captured method (an inbox capture's own; POST for anything else). */
  method: string;
  targetUrl: string;
  /** signedAs: the dialect that signed it, or null when it goes as captured (or edited) without a new signature. */
  request: ReturnType<typeof buildReplayRequest>;
}

/** Into an inbox, an edited or re-signed request is signed as its sender would: the inbox's dialect and secret. */
function intoInbox(box: SecretBox, captured: Captured, inbox: InboxTarget, options: ReplayOptions, base: Omit<BuildOptions, 'dialect' | 'secret'>) {
  const resigning = options.mode !== 'exact';
  const dialect = options.dialect ?? (resigning && inbox.dialect !== NO_DIALECT ? inbox.dialect : undefined);
  const secret = options.secret ?? (resigning && inbox.secretSealed ? box.open(inbox.secretSealed) : undefined);
  if (options.mode === 'resign' && (!dialect || !secret)) {
    throw new ApiError('invalid_params', `Inbox ${inbox.name} checks no signature: give a dialect and a secret to re-sign, or replay it exact.`);
  }
  return buildReplayRequest(captured, { ...base, dialect, secret });
}

/** The request exactly as `runReplay` would send it: the preview and the send share this. */
export function* prepareReplay(box: SecretBox, ref: string, options: ReplayOptions): ReplaySteps<PreparedReplay> {
  const stored = yield* capturedRequest(ref);
  // Sent as captured: credentials sealed at rest go out as the bytes that came in.
  const captured = { ...stored, headers: openHeaders(box, stored.headers) };
  const body = options.bodyBase64 !== undefined ? Buffer.from(options.bodyBase64, 'base64') : undefined;
  const base = { mode: options.mode, newId: options.newId, body, headers: options.headers };

  const method = captured.method ?? 'POST';
  if (!options.to) {
    const inbox = yield* targetInbox(captured, options);
    if (inbox) return { captured, hook: null, inbox, method, targetUrl: `hookbench:/in/${inbox.id}${captured.path ?? ''}`, request: intoInbox(box, captured, inbox, options, base) };
    const hook = yield* targetHook(captured, options.packageId);
    // Into its own receiver an edited request is signed as the provider would: with the hook's secret.
    const resigning = options.mode !== 'exact';
    const dialect = options.dialect ?? (resigning ? hook.provider : undefined);
    const secret = options.secret ?? (resigning ? hookSecret(box, hook, captured.headers) : undefined);
    // A library sample fired at a package is that package's: it carries its repository id.
    const own = resigning && captured.fromLibrary && options.bodyBase64 === undefined ? { ...captured, body: forRepository(captured.body, hook.provider, hook.repoId) } : captured;
    const request = buildReplayRequest(own, { ...base, dialect, secret });
    return { captured, hook, inbox: null, method: 'POST', targetUrl: `hookbench:/hooks/${hook.hookId}`, request };
  }

  const detected = detectDialects(new HeaderList(captured.headers))[0]?.name;
  const dialect = options.dialect ?? detected;
  if ((options.mode === 'resign' && (!dialect || !options.secret)) || (options.mode === 'edit' && options.dialect && !options.secret)) {
    throw new ApiError('invalid_params', 'Re-signing for a URL needs the secret the receiver expects (and a dialect when none is detected).');
  }
  const request = buildReplayRequest(captured, { ...base, dialect, secret: options.secret });
  // An attempt's URL is shown masked; sent back to it, it goes to the full URL it was sent to.
  const targetUrl = captured.url ? restoreMaskedUrl(options.to, captured.url) : withCapturedPath(options.to, captured.path);
  if (targetUrl.includes(HIDDEN)) throw new ApiError('invalid_params', HIDDEN_IN_URL);
  return { captured, hook: null, inbox: null, method, targetUrl, request };
}

/** What a replay would send, without sending it: the request as built for the send itself, on either store. */
export function* previewSteps(box: SecretBox, ref: string, options: ReplayOptions, now: number): ReplaySteps<ReplayPreview> {
  const { captured, hook, method, targetUrl, request } = yield* prepareReplay(box, ref, options);
  const { signedAs } = request;
  const effect = hook ? yield* replayEffect(box, hook, new HeaderList(request.headers), request.body, now) : null;
  const notes: string[] = [];
  const idCovered = captured.headers.some(([k]) => ['webhook-id', 'svix-id'].includes(k.toLowerCase()));
  if (method !== 'POST') notes.push(`Sent with the method it was captured with: ${method}.`);
  if (options.newId) notes.push('Each send mints its own delivery id; the one shown is an example.');
  if (options.newId && options.mode === 'exact' && idCovered) {
    notes.push('This signature covers the id: with a new id an exact replay will no longer verify. Re-sign it to keep it valid.');
  }
  if (signedAs && getDialect(signedAs).timestamp) notes.push('The signature carries a timestamp: each send signs with its own time.');
  if (options.mode === 'edit' && !signedAs) notes.push('Sent as edited, without a new signature: choose a dialect (and a secret) to sign it.');
  return { targetUrl: maskUrl(targetUrl), method, headers: maskHeaders(request.headers), bodyBase64: request.body.toString('base64'), size: request.body.length, signedAs, notes, effect };
}

export function previewReplay(deps: ReplayDeps, ref: string, options: ReplayOptions): ReplayPreview {
  return runOps(previewSteps(deps.box, ref, options, Date.now()), sqliteReplayOps(deps.db, deps.lookupHook));
}

/** Replays a captured request to this Hookbench's receiver or to any URL, and records what happened. */
export async function runReplay(deps: ReplayDeps, ref: string, options: ReplayOptions): Promise<ReplayView> {
  const prepared = runOps(prepareReplay(deps.box, ref, options), sqliteReplayOps(deps.db, deps.lookupHook));
  return record(deps.db, await sendReplay(deps.receiver, deps.box, prepared, options.mode));
}
