import { randomBytes } from 'node:crypto';
import { ApiError } from '../../../shared/contract';
import { ENGINE_EVENTS, type EndpointSecret } from '../../../shared/types';
import { HIDDEN, HIDDEN_IN_URL, restoreMaskedUrl } from '../../../shared/secret-headers';
import { getDialect } from '../dialects';
import type { SecretBox } from '../secrets/secret-box';
import type { EndpointRow } from './endpoints';
import { signsWithEverySecret } from './multi-signature';

/**
 * What an endpoint may be and what each change to it writes, whichever store keeps it: the
 * checks (with the same messages on both stores), the row a new endpoint gets, and the
 * columns an update, an enable or disable, or a rotation sets.
 */

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

export type EndpointPatch = Partial<Omit<EndpointInput, 'secret'>>;

export type EndpointFormat = 'dialect' | 'slack' | 'discord' | 'template';

export function checkFormat(format: EndpointFormat | undefined, template: string | null | undefined): void {
  if (format === 'template' && !template) throw new ApiError('invalid_params', 'A template endpoint needs a template, e.g. {"text": "{{event}} {{release.version}}"}.');
}

export function checkUrl(url: string): void {
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

export function checkDialect(name: string) {
  try {
    return getDialect(name);
  } catch (error) {
    throw new ApiError('invalid_params', (error as Error).message);
  }
}

export function checkEvents(dialectName: string, events: string[]): void {
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

export const noEndpoint = (id: string) => new ApiError('not_found', `No endpoint with id ${id}.`);

/** A relay names a package that exists: otherwise it would be saved and relay nothing, silently. */
export const noRelayPackage = (packageId: string) => new ApiError('not_found', `No package with id ${packageId} to relay from.`);

/** A new endpoint's row (its relay package already checked) and its secret, sealed at rest and shown this once. */
export function newEndpointRow(box: SecretBox, input: EndpointInput, now: number): { row: EndpointRow; created: EndpointSecret } {
  const id = 'ep_' + randomBytes(9).toString('base64url');
  const secret = input.secret ?? checkDialect(input.dialect).generateSecret();
  const row: EndpointRow = {
    id,
    name: input.name,
    url: input.url,
    dialect: input.dialect,
    events: JSON.stringify(input.events),
    secretSealed: box.seal(secret),
    previousSecretSealed: null,
    previousSecretExpiresAt: null,
    retryDelays: input.retryDelays ? JSON.stringify(input.retryDelays) : null,
    active: input.active ?? true,
    disabledReason: null,
    consecutiveFailures: 0,
    maxInFlight: input.maxInFlight ?? 4,
    timeoutMs: input.timeoutMs ?? 15_000,
    relayPackageId: input.relay?.packageId ?? null,
    relayMode: input.relay?.mode ?? null,
    format: input.format ?? 'dialect',
    template: input.template ?? null,
    createdAt: now,
    updatedAt: now,
  };
  return { row, created: { id, secret } };
}

/** A form filled from the masked URL sends the mask back: the stored credential stays. */
export function unmaskPatch(row: EndpointRow, patch: EndpointPatch): EndpointPatch {
  return patch.url !== undefined ? { ...patch, url: restoreMaskedUrl(patch.url, row.url) } : patch;
}

/** The checks of an update that need no lookup, on the endpoint as it would become (its relay package is checked apart). */
export function checkPatch(row: EndpointRow, patch: EndpointPatch): void {
  if (patch.url !== undefined) checkUrl(patch.url);
  checkEvents(patch.dialect ?? row.dialect, patch.events ?? (JSON.parse(row.events) as string[]));
  checkFormat(patch.format ?? row.format, patch.template === undefined ? row.template : patch.template);
}

/** The columns an update sets: only the fields it names. */
export function patchChanges(patch: EndpointPatch, now: number): Partial<EndpointRow> {
  return {
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
    updatedAt: now,
  };
}

/** Enabling starts the failure count over; disabling keeps why. */
export function activeChanges(active: boolean, reason: string | null, now: number): Partial<EndpointRow> {
  return active ? { active, disabledReason: null, consecutiveFailures: 0, updatedAt: now } : { active, disabledReason: reason ?? 'Disabled by the user.', updatedAt: now };
}

/**
 * A new secret, shown once. Where the dialect carries a signature per secret the old one
 * keeps signing beside it until the overlap ends; elsewhere the new one signs at once.
 */
export function rotation(
  box: SecretBox,
  row: EndpointRow,
  options: { secret?: string | undefined; overlapMs?: number | undefined },
  now: number,
): { changes: Partial<EndpointRow>; rotated: EndpointSecret } {
  checkSecret(row.dialect, options.secret);
  const secret = options.secret ?? getDialect(row.dialect).generateSecret();
  const until = signsWithEverySecret(row.dialect) ? now + (options.overlapMs ?? DEFAULT_ROTATION_OVERLAP_MS) : null;
  return {
    changes: { secretSealed: box.seal(secret), previousSecretSealed: until ? row.secretSealed : null, previousSecretExpiresAt: until, updatedAt: now },
    rotated: { id: row.id, secret, previousSecretValidUntil: until },
  };
}
