import { desc, eq } from 'drizzle-orm';
import { ApiError } from '../../../shared/contract';
import { maskHeaders } from '../../../shared/secret-headers';
import type { FixtureDetail, FixtureSummary } from '../../../shared/types';
import type { Queryable } from '../db/open';
import { fixtures } from '../db/schema';
import { detectDialects } from '../dialects';
import { HeaderList } from '../receiver/headers';
import { parseHeaders, sealHeaders } from '../secrets/header-seal';
import type { SecretBox } from '../secrets/secret-box';
import { buildReplayRequest } from './build-request';
import { loadCaptured } from './captured';
import { libraryEntry } from './library';

type FixtureRow = typeof fixtures.$inferSelect;

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

interface NewFixture {
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

export function insertFixture(db: Queryable, f: NewFixture): FixtureDetail {
  return toFixtureDetail(db.insert(fixtures).values({ ...f, method: f.method ?? null, path: f.path ?? null, headers: JSON.stringify(f.headers), createdAt: Date.now() }).returning().get());
}

/** Saves a delivery, an attempt or another fixture under a name: bytes, headers (sealed ones stay sealed) and request line as captured. */
export function saveFixture(db: Queryable, ref: string, name: string): FixtureDetail {
  const captured = loadCaptured(db, ref);
  const dialect = detectDialects(new HeaderList(captured.headers))[0]?.name ?? null;
  return insertFixture(db, {
    name,
    origin: captured.ref,
    dialect,
    event: captured.event,
    headers: captured.headers,
    body: captured.body,
    contentType: captured.contentType,
    method: captured.method,
    path: captured.path,
  });
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
export function saveEditedFixture(db: Queryable, box: SecretBox, ref: string, name: string, edits: FixtureEdits): FixtureDetail {
  const captured = loadCaptured(db, ref);
  const built = buildReplayRequest(captured, { mode: 'edit', ...(edits.bodyBase64 !== undefined ? { body: Buffer.from(edits.bodyBase64, 'base64') } : {}), headers: edits.headers ?? [] });
  const headers = sealHeaders(box, built.headers);
  const dialect = detectDialects(new HeaderList(built.headers))[0]?.name ?? null;
  const event = edits.event === undefined ? captured.event : edits.event;
  // A copy is edited in its body, headers and event; it goes where the original went.
  return insertFixture(db, { name, origin: `edited ${captured.ref}`, dialect, event, headers, body: built.body, contentType: captured.contentType, method: captured.method, path: captured.path });
}

export function saveLibraryFixture(db: Queryable, key: string, name?: string): FixtureDetail {
  const entry = libraryEntry(key);
  const headers = entry.headers();
  return insertFixture(db, {
    name: name ?? entry.key,
    origin: `library:${entry.key}`,
    dialect: entry.dialect,
    event: entry.event,
    headers,
    body: entry.body(),
    contentType: 'application/json',
  });
}

export function listFixtures(db: Queryable): FixtureSummary[] {
  return db.select().from(fixtures).orderBy(desc(fixtures.id)).all().map(toFixtureSummary);
}

export function getFixture(db: Queryable, id: number): FixtureDetail {
  const row = db.select().from(fixtures).where(eq(fixtures.id, id)).get();
  if (!row) throw new ApiError('not_found', `No fixture with id ${id}.`);
  return toFixtureDetail(row);
}

export function removeFixture(db: Queryable, id: number): void {
  getFixture(db, id);
  db.delete(fixtures).where(eq(fixtures.id, id)).run();
}
