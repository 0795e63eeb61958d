import type { DialectInfo } from '../../../shared/types';

/**
 * The request a replay will send, worked out in the renderer for the preview. It mirrors
 * the engine's buildReplayRequest; the engine remains the one that builds what is sent.
 */

/** Headers that carry a provider's delivery id: what "keep the id" or "mint a new one" is about. */
export const ID_HEADERS = ['x-github-delivery', 'idempotency-key', 'x-gitlab-event-uuid', 'webhook-id', 'svix-id', 'x-gitea-delivery'];
/** The connection's, not the message's: never replayed. */
const HOP_BY_HOP = new Set(['host', 'content-length', 'connection', 'transfer-encoding', 'keep-alive', 'te', 'upgrade', 'expect']);
/** Header names a signature lives in (or that a signature covers, like its timestamp). */
export const SIGNATURE_NAME = /sig|token|hmac|timestamp/i;
/** Only these hold a secret-derived value; a timestamp is shown as it is. */
export const SECRET_DERIVED = /sig|token|hmac/i;

export const NEW_ID = '‹a new id, minted when sent›';

export type Pairs = [string, string][];

const lower = (s: string) => s.toLowerCase();

export const replayable = (headers: Pairs): Pairs => headers.filter(([k]) => !HOP_BY_HOP.has(lower(k)));

export function originalId(headers: Pairs): string | null {
  return headers.find(([k]) => ID_HEADERS.includes(lower(k)))?.[1] ?? null;
}

/** Replaces every header named in `changes` (an empty value removes it), as the engine does. */
export function withHeaders(base: Pairs, changes: Pairs): Pairs {
  const names = new Set(changes.map(([k]) => lower(k)));
  return [...base.filter(([k]) => !names.has(lower(k))), ...changes.filter(([, v]) => v !== '')];
}

/**
 * What to ask the engine for so the request carries exactly `edited`: every edited header
 * set, and every original one the editor dropped removed (an empty value).
 */
export function headerChanges(original: Pairs, edited: Pairs): Pairs {
  const kept = new Set(edited.map(([k]) => lower(k)));
  const removed = [...new Set(original.map(([k]) => k))].filter((k) => !kept.has(lower(k))).map((k): [string, string] => [k, '']);
  return [...edited, ...removed];
}

export function sameHeaders(a: Pairs, b: Pairs): boolean {
  return a.length === b.length && a.every(([k, v], i) => b[i]![0] === k && b[i]![1] === v);
}

/** The dialect a request looks like: the one with the most of its headers present, a signature among them. */
export function guessDialect(headers: Pairs, dialects: DialectInfo[]): string | null {
  const present = new Set(headers.map(([k]) => lower(k)));
  let best: { name: string; score: number } | null = null;
  for (const d of dialects) {
    const mine = d.headers.map(lower).filter((h) => present.has(h));
    if (!mine.some((h) => SIGNATURE_NAME.test(h))) continue;
    if (!best || mine.length > best.score) best = { name: d.name, score: mine.length };
  }
  return best?.name ?? null;
}

/** Signature headers a re-signed request drops before adding its own: those of any dialect present, and the chosen one's. */
export function staleSignatureHeaders(headers: Pairs, dialects: DialectInfo[], chosen: string): Set<string> {
  const present = new Set(headers.map(([k]) => lower(k)));
  const stale = new Set<string>();
  for (const d of dialects) {
    const names = d.headers.map(lower);
    if (d.name !== chosen && !names.some((h) => present.has(h) && SIGNATURE_NAME.test(h))) continue;
    for (const h of names) if (SIGNATURE_NAME.test(h)) stale.add(h);
  }
  return stale;
}

/** The headers before signing: the original (or edited) ones, with the id kept or marked as new. */
export function unsignedHeaders(original: Pairs, edited: Pairs | null, newId: boolean): Pairs {
  const base = edited ? withHeaders(replayable(original), headerChanges(replayable(original), edited)) : replayable(original);
  return newId ? base.map(([k, v]) => [k, ID_HEADERS.includes(lower(k)) ? NEW_ID : v]) : base;
}

/** Drops stale signatures and adds the fresh ones; `mask` replaces secret-derived values the renderer cannot know. */
export function signedHeaders(headers: Pairs, signed: Record<string, string>, stale: Set<string>, mask: string | null): Pairs {
  const fresh = Object.entries(signed).map(([k, v]): [string, string] => [k, mask && SECRET_DERIVED.test(k) ? mask : v]);
  return withHeaders(
    headers.filter(([k]) => !stale.has(lower(k))),
    fresh,
  );
}
