/**
 * What an inbox method decides, apart from where its rows are kept: the checks, the errors,
 * the new rows and what a result contains. The SQLite store (inboxes.ts, rotate.ts, answers.ts,
 * timeline.ts) and the PostgreSQL one (pg-inboxes.ts) both call these, so both answer alike.
 */
import { randomBytes } from 'node:crypto';
import { ApiError } from '../../../shared/contract';
import type { InboxForwardTarget, InboxTimelineEntry } from '../../../shared/inbox-types';
import type { InboxCreated, InboxSummary } from '../../../shared/types';
import type { inboxes } from '../db/schema';
import { dialectNames, getDialect, isDialectName } from '../dialects';
import { checkSecret } from '../outbound/endpoints';
import { DEFAULT_OVERLAP_MS, previousSecretAccepted } from '../secrets/rotation';
import type { SecretBox } from '../secrets/secret-box';
import { storedAnswer } from './answer-rules';

/** Captured without checking any signature. */
export const NO_DIALECT = 'none';

export type InboxRow = typeof inboxes.$inferSelect;

export interface InboxInput {
  name: string;
  dialect: string;
  secret?: string | undefined;
  toleranceSeconds?: number | undefined;
}

export interface InboxPatch {
  name?: string | undefined;
  toleranceSeconds?: number | null | undefined;
}

export interface RotateOptions {
  secret?: string | undefined;
  overlapMs?: number | undefined;
}

/** What the store holds of an inbox's captures, for its summary. */
export interface CaptureStats {
  captures: number;
  lastCaptureAt: number | null;
}

export const inboxUrl = (base: string, id: string) => `${base.replace(/\/+$/, '')}/in/${id}`;

export const noInbox = (id: string) => new ApiError('not_found', `No inbox with id ${id}.`);

function checkInboxDialect(name: string): void {
  if (name === NO_DIALECT || isDialectName(name)) return;
  throw new ApiError('invalid_params', `Unknown dialect "${name}"; use one of ${[NO_DIALECT, ...dialectNames].join(', ')}.`);
}

/** A new inbox's row; without a secret, one is made in the dialect's own form (whsec_…, base64url, hex), shown once. */
export function newInboxRow(input: InboxInput, box: SecretBox, now: number): { row: InboxRow; secret: string | null } {
  checkInboxDialect(input.dialect);
  if (input.dialect === NO_DIALECT && input.secret !== undefined) {
    throw new ApiError('invalid_params', 'An inbox of dialect "none" checks no signature, so it takes no secret.');
  }
  let secret: string | null = null;
  if (input.dialect !== NO_DIALECT) {
    checkSecret(input.dialect, input.secret);
    secret = input.secret ?? getDialect(input.dialect).generateSecret();
  }
  const row: InboxRow = {
    id: 'in_' + randomBytes(9).toString('base64url'),
    name: input.name,
    dialect: input.dialect,
    secretSealed: secret === null ? null : box.seal(secret),
    toleranceSeconds: input.toleranceSeconds ?? null,
    createdAt: now,
    answer: null,
    previousSecretSealed: null,
    previousSecretExpiresAt: null,
  };
  return { row, secret };
}

export const inboxCreated = (id: string, base: string, secret: string | null): InboxCreated => ({ id, url: inboxUrl(base, id), secret });

/** The columns a patch changes: a name given, a tolerance given (null: the dialect's own again). */
export function inboxChanges(patch: InboxPatch): Partial<Pick<InboxRow, 'name' | 'toleranceSeconds'>> {
  return {
    ...(patch.name !== undefined ? { name: patch.name } : {}),
    ...(patch.toleranceSeconds !== undefined ? { toleranceSeconds: patch.toleranceSeconds } : {}),
  };
}

export function toInboxSummary(row: InboxRow, stats: CaptureStats, forwards: InboxForwardTarget[], base: string, now: number): InboxSummary {
  return {
    id: row.id,
    name: row.name,
    dialect: row.dialect,
    toleranceSeconds: row.toleranceSeconds,
    url: inboxUrl(base, row.id),
    createdAt: row.createdAt,
    captures: stats.captures,
    lastCaptureAt: stats.lastCaptureAt,
    answer: storedAnswer(row.answer),
    forwards,
    previousSecretUntil: previousSecretAccepted(row, now) ? row.previousSecretExpiresAt : null,
  };
}

/**
 * A new secret for an inbox (given, or made in the dialect's own form), shown once. The one it
 * replaces keeps verifying for the overlap (a day by default; 0 ends it at once), as a package
 * hook's does, so a sender not yet given the new one is still accepted.
 */
export function rotatedInboxSecrets(row: InboxRow, box: SecretBox, options: RotateOptions, now: number) {
  if (row.dialect === NO_DIALECT || row.secretSealed === null) {
    throw new ApiError('invalid_params', `Inbox ${row.id} is of dialect "none": it checks no signature, so it has no secret to rotate.`);
  }
  checkSecret(row.dialect, options.secret);
  const secret = options.secret ?? getDialect(row.dialect).generateSecret();
  const overlapMs = options.overlapMs ?? DEFAULT_OVERLAP_MS;
  const until = overlapMs > 0 ? now + overlapMs : null;
  return { secret, sealed: box.seal(secret), previousSealed: until === null ? null : row.secretSealed, until };
}

export interface ArrivalRow {
  id: number;
  eventId: string;
  receivedAt: number;
  statusCode: number;
  verdict: string;
}

function timelineEntry(eventId: string, rows: ArrivalRow[]): InboxTimelineEntry {
  const first = rows[0]?.receivedAt ?? 0;
  return {
    eventId,
    arrivals: rows.map((row) => ({
      deliveryId: row.id,
      receivedAt: row.receivedAt,
      sinceFirstMs: row.receivedAt - first,
      answeredStatus: row.statusCode,
      verdict: row.verdict,
    })),
  };
}

/** The timeline of the events asked for, in that order, from each one's arrivals in order; an event with none is left out. */
export function timelineOf(events: string[], arrivalsOf: (eventId: string) => ArrivalRow[]): InboxTimelineEntry[] {
  return events.map((eventId) => timelineEntry(eventId, arrivalsOf(eventId))).filter((e) => e.arrivals.length > 0);
}
