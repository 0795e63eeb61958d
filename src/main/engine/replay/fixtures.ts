import { ApiError } from '../../../shared/contract';
import { maskHeaders } from '../../../shared/secret-headers';
import type { FixtureDetail, FixtureSummary } from '../../../shared/types';
import type { Queryable } from '../db/open';
import { detectDialects } from '../dialects';
import { HeaderList } from '../receiver/headers';
import { parseHeaders, sealHeaders } from '../secrets/header-seal';
import type { SecretBox } from '../secrets/secret-box';
import { runOps } from '../store/steps';
import { buildReplayRequest } from './build-request';
import { capturedRequest } from './captured';
import { ask, type CapturedSteps, type FixtureRow } from './captured-ops';
import { libraryEntry } from './library';
import { sqliteCapturedOps } from './sqlite-captured-ops';

export function toFixtureSummary(row: FixtureRow): FixtureSummary {
  return {
    id: row.id,
    name: row.name,
    origin: row.origin,
    dialect: row.dialect,
    event: row.event,
    bodySize: row.body.length,
    createdAt: row.createdAt,
    method: row.method,
    path: row.path,
  };
}

export function toFixtureDetail(row: FixtureRow): FixtureDetail {
  return { ...toFixtureSummary(row), headers: maskHeaders(parseHeaders(row.headers)), bodyBase64: row.body.toString('base64'), contentType: row.contentType };
}

export interface NewFixture {
  name: string;
  origin: string;
  dialect: string | null;
  event: string | null;
  headers: [string, string][];
  body: Buffer;
  contentType: string | null;
  /** The request line an inbox capture came with; absent for a plain POST. */
  method?: string | null | undefined;
  path?: string | null | undefined;
}

export function* addFixture(f: NewFixture, now: number): CapturedSteps<FixtureDetail> {
  return toFixtureDetail(yield* ask('insertFixture', { ...f, method: f.method ?? null, path: f.path ?? null, headers: JSON.stringify(f.headers), createdAt: now }));
}

export function insertFixture(db: Queryable, f: NewFixture): FixtureDetail {
  return runOps(addFixture(f, Date.now()), sqliteCapturedOps(db));
}

/** Saves a delivery, an attempt or another fixture under a name: bytes, headers (sealed ones stay sealed) and request line as captured. */
function* savedFrom(ref: string, name: string, now: number): CapturedSteps<FixtureDetail> {
  const captured = yield* capturedRequest(ref);
  const dialect = detectDialects(new HeaderList(captured.headers))[0]?.name ?? null;
  return yield* addFixture(
    { name, origin: captured.ref, dialect, event: captured.event, headers: captured.headers, body: captured.body, contentType: captured.contentType, method: captured.method, path: captured.path },
    now,
  );
}

export interface FixtureEdits {
  bodyBase64?: string | undefined;
  headers?: [string, string][] | undefined;
  event?: string | null | undefined;
}

/**
 * An edited copy of a delivery, attempt or fixture: the body and headers as the user changed them
 * (built as an edited replay is, so a header left hidden keeps its stored value), credentials sealed.
 */
function* editedFrom(box: SecretBox, ref: string, name: string, edits: FixtureEdits, now: number): CapturedSteps<FixtureDetail> {
  const captured = yield* capturedRequest(ref);
  const built = buildReplayRequest(captured, { mode: 'edit', ...(edits.bodyBase64 !== undefined ? { body: Buffer.from(edits.bodyBase64, 'base64') } : {}), headers: edits.headers ?? [] });
  const headers = sealHeaders(box, built.headers);
  const dialect = detectDialects(new HeaderList(built.headers))[0]?.name ?? null;
  const event = edits.event === undefined ? captured.event : edits.event;
  // A copy is edited in its body, headers and event; it goes where the original went.
  return yield* addFixture({ name, origin: `edited ${captured.ref}`, dialect, event, headers, body: built.body, contentType: captured.contentType, method: captured.method, path: captured.path }, now);
}

function* fromLibrary(key: string, name: string | undefined, now: number): CapturedSteps<FixtureDetail> {
  const entry = libraryEntry(key);
  return yield* addFixture(
    { name: name ?? entry.key, origin: `library:${entry.key}`, dialect: entry.dialect, event: entry.event, headers: entry.headers(), body: entry.body(), contentType: 'application/json' },
    now,
  );
}

export interface SaveFixtureRequest {
  name?: string | undefined;
  ref?: string | undefined;
  libraryKey?: string | undefined;
  edits?: FixtureEdits | undefined;
}

/** fixtures.save: from a library entry, an edited copy, or a stored request as it is. */
export function* saveFixtureAsked(box: SecretBox, { name, ref, libraryKey, edits }: SaveFixtureRequest, now: number): CapturedSteps<FixtureDetail> {
  if (libraryKey) return yield* fromLibrary(libraryKey, name, now);
  if (!ref) throw new ApiError('invalid_params', 'Give what to save: a delivery id, attempt:ID, or a library key.');
  if (edits) return yield* editedFrom(box, ref, name ?? `Edited copy of ${ref}`, edits, now);
  return yield* savedFrom(ref, name ?? `Saved from ${ref}`, now);
}

export function* fixtureSummaries(): CapturedSteps<FixtureSummary[]> {
  return (yield* ask('allFixtures')).map(toFixtureSummary);
}

const noFixture = (id: number) => new ApiError('not_found', `No fixture with id ${id}.`);

export function* fixtureDetail(id: number): CapturedSteps<FixtureDetail> {
  const row = yield* ask('fixtureById', id);
  if (!row) throw noFixture(id);
  return toFixtureDetail(row);
}

/** One statement: of several callers removing the same fixture at once, one removes it and the others are told it is gone. */
export function* dropFixture(id: number): CapturedSteps<{ removed: true }> {
  if (!(yield* ask('deleteFixture', id))) throw noFixture(id);
  return { removed: true };
}

// The SQLite forms, answered at once.
const onSqlite = <R>(db: Queryable, steps: CapturedSteps<R>): R => runOps(steps, sqliteCapturedOps(db));

export const saveFixtureOn = (db: Queryable, box: SecretBox, request: SaveFixtureRequest) => onSqlite(db, saveFixtureAsked(box, request, Date.now()));
export const listFixtures = (db: Queryable) => onSqlite(db, fixtureSummaries());
export const getFixture = (db: Queryable, id: number) => onSqlite(db, fixtureDetail(id));
export const removeFixture = (db: Queryable, id: number) => onSqlite(db, dropFixture(id));
