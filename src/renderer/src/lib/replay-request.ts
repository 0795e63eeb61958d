import { isHopByHop, SIGNATURE_HEADER } from '../../../shared/header-names';
import type { DialectInfo } from '../../../shared/types';

/**
 * Header helpers for the replay form: what the original carried and what the editor
 * changed. The request itself, and its preview, are built by the engine.
 */

export type Pairs = [string, string][];

const lower = (s: string) => s.toLowerCase();

export const replayable = (headers: Pairs): Pairs => headers.filter(([k]) => !isHopByHop(k));

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
    if (!mine.some((h) => SIGNATURE_HEADER.test(h))) continue;
    if (!best || mine.length > best.score) best = { name: d.name, score: mine.length };
  }
  return best?.name ?? null;
}
