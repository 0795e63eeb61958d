import { eq, inArray, sql } from 'drizzle-orm';
import { ApiError } from '../../../shared/contract';
import { ENGINE_EVENTS, type EndpointSecret, type EndpointSummary } from '../../../shared/types';
import { HIDDEN, HIDDEN_IN_URL, maskUrl, restoreMaskedUrl } from '../../../shared/secret-headers';
import type { Db, Queryable } from '../db/open';
import { preparedOn } from '../db/prepared';
import { endpoints, messages, packages } from '../db/schema';
import { deleteInSlices } from '../db/sliced-writes';
import { getDialect } from '../dialects';
import { randomBytes } from 'node:crypto';
import type { SecretBox } from '../secrets/secret-box';
import { signsWithEverySecret } from './multi-signature';
import { endpointStats } from './stats';

export type EndpointRow = typeof endpoints.$inferSelect;

export const DEFAULT_ROTATION_OVERLAP_MS = 24 * 3600 * 1000;

export interface EndpointInput {
  name: string;
  url: string;
  dialect: string;
  events: string[];
  secret?: string | undefined;
  retryDelays?: number[] | null | undefined;
  active?: boolean | undefined;
  maxInFlight?: number | undefined;
  timeoutMs?: number | undefined;
  relay?: { packageId: string; mode: 'original' | 'resign' } | null | undefined;
  format?: EndpointFormat | undefined;
  template?: string | null | undefined;
}

export type EndpointFormat = 'dialect' | 'slack' | 'discord' | 'template';

function checkFormat(format: EndpointFormat | undefined, template: string | null | undefined): void {
  if (format === 'template' && !template) throw new ApiError('invalid_params', 'A template endpoint needs a template, e.g. {"text": "{{event}} {{release.version}}"}.');
}

function checkUrl(url: string): void {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new ApiError('invalid_params', `"${url}" is not a URL.`);
  }
  if (url.includes(HIDDEN)) throw new ApiError('invalid_params', HIDDEN_IN_URL);
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new ApiError('invalid_params', `Endpoint URLs must be http or https, not ${parsed.protocol}`);
  }
}

function checkDialect(name: string) {
  try {
    return getDialect(name);
  } catch (error) {
    throw new ApiError('invalid_params', (error as Error).message);
  }
}

function checkEvents(dialectName: string, events: string[]): void {
  if (events.length === 0) throw new ApiError('invalid_params', 'An endpoint needs at least one event.');
  const known = new Set<string>([...ENGINE_EVENTS, ...checkDialect(dialectName).events.map((e) => e.name), 'inbound.relay']);
  const unknown = events.filter((e) => !known.has(e));
  if (unknown.length) {
    throw new ApiError('invalid_params', `Unknown event ${unknown.map((e) => `"${e}"`).join(', ')} for the ${dialectName} dialect; known: ${[...known].join(', ')}.`);
  }
}

/** A secret given by hand must be one the dialect can sign with: an empty or undecodable key would sign every message wrongly. */
export function checkSecret(dialectName: string, secret: string | undefined): void {
  if (secret === undefined) return;
  const dialect = checkDialect(dialectName);
  const encoding = dialect.secret.encoding;
  const base64 = secret.startsWith('whsec_') ? secret.slice(6) : secret;
  const keyBytes = Buffer.from(base64, 'base64').length;
  const valid =
    encoding === 'whsec-base64'
      ? /^[A-Za-z0-9+/]+={0,2}$/.test(base64) && keyBytes >= 24 && keyBytes <= 64
      : encoding === 'base64url'
        ? /^[A-Za-z0-9_-]+={0,2}$/.test(secret)
        : secret.trim().length > 0 && secret !== 'whsec_';
  if (!valid) throw new ApiError('invalid_params', `Not a ${dialect.label} secret: ${dialect.secret.description}`);
}

/** A relay names a package that exists: otherwise it would be saved and relay nothing, silently. */
function checkRelay(db: Queryable, relay: EndpointInput['relay']): void {
  if (!relay) return;
  const found = db.select({ id: packages.id }).from(packages).where(eq(packages.id, relay.packageId)).get();
  if (!found) throw new ApiError('not_found', `No package with id ${relay.packageId} to relay from.`);
}

const endpointById = preparedOn((db) => db.select().from(endpoints).where(eq(endpoints.id, sql.placeholder('id'))).prepare());

export function getEndpointRow(db: Queryable, id: string): EndpointRow {
  const row = endpointById(db).get({ id });
  if (!row) throw new ApiError('not_found', `No endpoint with id ${id}.`);
  return row;
}

/** Secrets to sign with, newest first; the previous one only while its overlap lasts. */
export function signingSecrets(box: SecretBox, row: EndpointRow, now: number): string[] {
  const secrets = [box.open(row.secretSealed)];
  if (row.previousSecretSealed && (row.previousSecretExpiresAt ?? 0) > now) secrets.push(box.open(row.previousSecretSealed));
  return secrets;
}

export function effectiveDelays(row: Pick<EndpointRow, 'retryDelays' | 'dialect'>): { delaysSeconds: number[]; disableAfterExhausted: boolean } {
  const dialect = getDialect(row.dialect);
  const custom = row.retryDelays ? (JSON.parse(row.retryDelays) as number[]) : null;
  return { delaysSeconds: custom ?? dialect.retry.delaysSeconds, disableAfterExhausted: dialect.retry.disableAfterExhausted };
}

export function createEndpoint(db: Db, box: SecretBox, input: EndpointInput): EndpointSecret {
  checkUrl(input.url);
  const dialect = checkDialect(input.dialect);
  checkEvents(input.dialect, input.events);
  checkFormat(input.format, input.template);
  checkRelay(db, input.relay);
  checkSecret(input.dialect, input.secret);
  const id = 'ep_' + randomBytes(9).toString('base64url');
  const secret = input.secret ?? dialect.generateSecret();
  const now = Date.now();
  db.insert(endpoints)
    .values({
      id,
      name: input.name,
      url: input.url,
      dialect: input.dialect,
      events: JSON.stringify(input.events),
      secretSealed: box.seal(secret),
      retryDelays: input.retryDelays ? JSON.stringify(input.retryDelays) : null,
      active: input.active ?? true,
      maxInFlight: input.maxInFlight ?? 4,
      timeoutMs: input.timeoutMs ?? 15_000,
      relayPackageId: input.relay?.packageId ?? null,
      relayMode: input.relay?.mode ?? null,
      format: input.format ?? 'dialect',
      template: input.template ?? null,
      createdAt: now,
      updatedAt: now,
    })
    .run();
  return { id, secret };
}

export function updateEndpoint(db: Db, id: string, patch: Partial<Omit<EndpointInput, 'secret'>>): void {
  const row = getEndpointRow(db, id);
  // A form filled from the masked URL sends the mask back: the stored credential stays.
  if (patch.url !== undefined) patch = { ...patch, url: restoreMaskedUrl(patch.url, row.url) };
  if (patch.url !== undefined) checkUrl(patch.url);
  const dialect = patch.dialect ?? row.dialect;
  checkEvents(dialect, patch.events ?? (JSON.parse(row.events) as string[]));
  checkFormat(patch.format ?? row.format, patch.template === undefined ? row.template : patch.template);
  checkRelay(db, patch.relay);
  db.update(endpoints)
    .set({
      ...(patch.name !== undefined ? { name: patch.name } : {}),
      ...(patch.url !== undefined ? { url: patch.url } : {}),
      ...(patch.dialect !== undefined ? { dialect: patch.dialect } : {}),
      ...(patch.events !== undefined ? { events: JSON.stringify(patch.events) } : {}),
      ...(patch.retryDelays !== undefined ? { retryDelays: patch.retryDelays ? JSON.stringify(patch.retryDelays) : null } : {}),
      ...(patch.maxInFlight !== undefined ? { maxInFlight: patch.maxInFlight } : {}),
      ...(patch.timeoutMs !== undefined ? { timeoutMs: patch.timeoutMs } : {}),
      ...(patch.format !== undefined ? { format: patch.format } : {}),
      ...(patch.template !== undefined ? { template: patch.template } : {}),
      ...(patch.relay !== undefined ? { relayPackageId: patch.relay?.packageId ?? null, relayMode: patch.relay?.mode ?? null } : {}),
      updatedAt: Date.now(),
    })
    .where(eq(endpoints.id, id))
    .run();
}

export function setEndpointActive(db: Queryable, id: string, active: boolean, reason: string | null = null): void {
  getEndpointRow(db, id);
  db.update(endpoints)
    .set(active ? { active, disabledReason: null, consecutiveFailures: 0, updatedAt: Date.now() } : { active, disabledReason: reason ?? 'Disabled by the user.', updatedAt: Date.now() })
    .where(eq(endpoints.id, id))
    .run();
}

/**
 * Removes an endpoint with its messages and attempts. A long history goes a few hundred
 * messages per transaction (see sliced-writes.ts): deleting it in one would keep a running
 * serve's receiver waiting for the write lock.
 */
export async function removeEndpoint(db: Db, id: string): Promise<void> {
  getEndpointRow(db, id);
  await deleteInSlices(db, () => {
    const ids = db.select({ id: messages.id }).from(messages).where(eq(messages.endpointId, id)).limit(HISTORY_CHUNK).all();
    // Their attempts go with them (ON DELETE CASCADE).
    if (ids.length > 0) db.delete(messages).where(inArray(messages.id, ids.map((m) => m.id))).run();
    return ids.length;
  });
  db.delete(endpoints).where(eq(endpoints.id, id)).run();
}

const HISTORY_CHUNK = 200;

/**
 * A new secret, shown once. Where the dialect carries a signature per secret the old one
 * keeps signing beside it until the overlap ends; elsewhere the new one signs at once.
 */
export function rotateEndpointSecret(db: Db, box: SecretBox, id: string, options: { secret?: string | undefined; overlapMs?: number | undefined } = {}): EndpointSecret {
  const row = getEndpointRow(db, id);
  checkSecret(row.dialect, options.secret);
  const secret = options.secret ?? getDialect(row.dialect).generateSecret();
  const until = signsWithEverySecret(row.dialect) ? Date.now() + (options.overlapMs ?? DEFAULT_ROTATION_OVERLAP_MS) : null;
  db.update(endpoints)
    .set({ secretSealed: box.seal(secret), previousSecretSealed: until ? row.secretSealed : null, previousSecretExpiresAt: until, updatedAt: Date.now() })
    .where(eq(endpoints.id, id))
    .run();
  return { id, secret, previousSecretValidUntil: until };
}

export function toEndpointSummary(db: Queryable, row: EndpointRow, now = Date.now()): EndpointSummary {
  return {
    id: row.id,
    name: row.name,
    url: maskUrl(row.url),
    dialect: row.dialect,
    events: JSON.parse(row.events) as string[],
    active: row.active,
    disabledReason: row.disabledReason,
    consecutiveFailures: row.consecutiveFailures,
    retryDelays: row.retryDelays ? (JSON.parse(row.retryDelays) as number[]) : null,
    effectiveRetryDelays: effectiveDelays(row).delaysSeconds,
    maxInFlight: row.maxInFlight,
    timeoutMs: row.timeoutMs,
    rotatingUntil: row.previousSecretExpiresAt && row.previousSecretExpiresAt > now ? row.previousSecretExpiresAt : null,
    relay: row.relayPackageId && row.relayMode ? { packageId: row.relayPackageId, mode: row.relayMode } : null,
    format: row.format,
    template: row.template,
    createdAt: row.createdAt,
    stats: endpointStats(db, row.id),
  };
}

export function listEndpoints(db: Queryable): EndpointSummary[] {
  return db.select().from(endpoints).orderBy(endpoints.createdAt).all().map((row) => toEndpointSummary(db, row));
}

/** One endpoint's summary as stored now; undefined once it is removed. */
export function endpointSummaryOf(db: Queryable, endpointId: string): EndpointSummary | undefined {
  const row = db.select().from(endpoints).where(eq(endpoints.id, endpointId)).get();
  return row ? toEndpointSummary(db, row) : undefined;
}
