import { ApiError } from '../../../shared/contract';
import type { Queryable } from '../db/open';
import { runOps } from '../store/steps';
import { ask, type CapturedSteps } from './captured-ops';
import { sqliteCapturedOps } from './sqlite-captured-ops';

/** A request as it was captured: what replay, fixtures and export start from. */
export interface Captured {
  ref: string;
  /** As stored: credential values may be sealed (openHeaders before sending, maskHeaders before showing). */
  headers: [string, string][];
  body: Buffer;
  contentType: string | null;
  /** Where it originally went (attempts), when known. */
  url: string | null;
  /** The hook that received it (inbound deliveries). */
  hookId: string | null;
  event: string | null;
  /** Inbox captures (and fixtures saved from them): the method and the path after the inbox address (query included); a replay keeps both. */
  method?: string | null;
  path?: string | null;
  /** A sample from the built-in library, not a request anyone sent: it speaks for whichever repository it is fired at. */
  fromLibrary?: boolean;
}

const contentTypeOf = (headers: [string, string][]) => headers.find(([k]) => k.toLowerCase() === 'content-type')?.[1] ?? null;

export function parseRef(ref: string): { kind: 'delivery' | 'attempt' | 'fixture'; id: number } {
  const match = /^(?:(delivery|attempt|fixture):)?(\d+)$/.exec(ref.trim());
  if (!match) throw new ApiError('invalid_params', `"${ref}" is not a delivery id, attempt:ID or fixture:ID.`);
  return { kind: (match[1] ?? 'delivery') as 'delivery' | 'attempt' | 'fixture', id: Number(match[2]) };
}

/** A stored delivery, attempt or fixture as a request, on either store. */
export function* capturedRequest(ref: string): CapturedSteps<Captured> {
  const { kind, id } = parseRef(ref);
  const canonical = `${kind}:${id}`;
  if (kind === 'delivery') {
    const d = yield* ask('deliveryById', id);
    if (!d) throw new ApiError('not_found', `No delivery with id ${id}.`);
    const headers = JSON.parse(d.headers) as [string, string][];
    return { ref: canonical, headers, body: d.body, contentType: d.contentType, url: null, hookId: d.hookId, event: d.event, method: d.method, path: d.path };
  }
  if (kind === 'attempt') {
    const row = yield* ask('attemptById', id);
    if (!row) throw new ApiError('not_found', `No attempt with id ${id}.`);
    const headers = JSON.parse(row.requestHeaders) as [string, string][];
    return { ref: canonical, headers, body: row.body, contentType: contentTypeOf(headers), url: row.url, hookId: null, event: row.event };
  }
  const f = yield* ask('fixtureById', id);
  if (!f) throw new ApiError('not_found', `No fixture with id ${id}.`);
  return {
    ref: canonical,
    headers: JSON.parse(f.headers) as [string, string][],
    body: f.body,
    contentType: f.contentType,
    url: null,
    hookId: null,
    event: f.event,
    method: f.method,
    path: f.path,
    fromLibrary: f.origin.startsWith('library:'),
  };
}

export function loadCaptured(db: Queryable, ref: string): Captured {
  return runOps(capturedRequest(ref), sqliteCapturedOps(db));
}
