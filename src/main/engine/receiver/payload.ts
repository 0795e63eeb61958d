import type { Provider } from '../../../shared/types';
import type { HeaderList } from './headers';

export type Decoded = { ok: true; payload: Record<string, unknown> } | { ok: false; reason: string };

const ZERO_SHA = /^0+$/;

function isForm(contentType: string | undefined): boolean {
  return (contentType ?? '').toLowerCase().startsWith('application/x-www-form-urlencoded');
}

/** GitHub sends either the JSON itself or a form with the JSON in `payload=`. */
export function decodePayload(contentType: string | undefined, body: Buffer): Decoded {
  let text = body.toString('utf8');
  if (isForm(contentType)) {
    const payload = new URLSearchParams(text).get('payload');
    if (payload === null) return { ok: false, reason: 'Form-encoded body has no "payload" field.' };
    text = payload;
  }
  try {
    const value: unknown = JSON.parse(text);
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      return { ok: false, reason: 'Body is JSON but not an object.' };
    }
    return { ok: true, payload: value as Record<string, unknown> };
  } catch (error) {
    return { ok: false, reason: `Body is not valid JSON: ${(error as Error).message}` };
  }
}

export function eventOf(provider: Provider, headers: HeaderList): string | null {
  return (provider === 'github' ? headers.get('X-GitHub-Event') : headers.get('X-Gitlab-Event')) ?? null;
}

/** A header sent empty names no delivery: it must neither dedupe against nor block another. */
export const deliveryIdValue = (value: string | null | undefined): string | null => (value != null && value.trim() !== '' ? value : null);

/** The id a provider keeps across retries of one event: what we dedupe on. */
export function providerDeliveryIdOf(provider: Provider, headers: HeaderList): string | null {
  if (provider === 'github') return deliveryIdValue(headers.get('X-GitHub-Delivery'));
  return deliveryIdValue(headers.get('Idempotency-Key')) ?? deliveryIdValue(headers.get('X-Gitlab-Event-UUID'));
}

const record = (value: unknown): Record<string, unknown> | undefined =>
  value !== null && typeof value === 'object' ? (value as Record<string, unknown>) : undefined;

const idString = (value: unknown): string | null =>
  typeof value === 'number' || (typeof value === 'string' && value !== '') ? String(value) : null;

export function repoIdOf(provider: Provider, payload: Record<string, unknown>): string | null {
  if (provider === 'github') return idString(record(payload.repository)?.id);
  return idString(record(payload.project)?.id) ?? idString(payload.project_id);
}

export interface TagPush {
  ref: string;
  tag: string;
  deleted: boolean;
  commitSha: string | null;
}

export function refOf(payload: Record<string, unknown>): string | null {
  return typeof payload.ref === 'string' ? payload.ref : null;
}

export function readTagPush(provider: Provider, payload: Record<string, unknown>): TagPush | null {
  const ref = refOf(payload);
  if (!ref?.startsWith('refs/tags/')) return null;
  const after = typeof payload.after === 'string' ? payload.after : '';
  const deleted = payload.deleted === true || ZERO_SHA.test(after);
  const headCommit = record(payload.head_commit);
  const commit =
    provider === 'gitlab'
      ? (payload.checkout_sha as string | null | undefined)
      : ((headCommit?.id as string | undefined) ?? after);
  return {
    ref,
    tag: ref.slice('refs/tags/'.length),
    deleted,
    commitSha: deleted || !commit || ZERO_SHA.test(commit) ? null : commit,
  };
}
