import { isHopByHop } from '../../../../shared/header-names';
import type { SendRequest } from '../../outbound/http-send';
import { openHeaders } from '../../secrets/header-seal';
import type { SecretBox } from '../../secrets/secret-box';
import { parsePathRewrite } from './targets';
import type { CapturedRequest } from './statements';

/** Hookbench's own note on a tunnel capture (which body reconstruction was stored): not the sender's. */
const OWN_HEADERS = new Set(['x-hookbench-reconstruction', 'proxy-connection', 'trailer']);

/** `FROM=>TO` applied to a path: FROM matches whole segments only ("/stripe" is not "/stripes"). */
export function rewritePath(pathname: string, rule: string | null): string {
  if (rule === null) return pathname;
  const { from, to } = parsePathRewrite(rule);
  const base = from.endsWith('/') && from.length > 1 ? from.slice(0, -1) : from;
  if (pathname !== base && !pathname.startsWith(base === '/' ? '/' : base + '/')) return pathname;
  const rest = base === '/' ? pathname : pathname.slice(base.length);
  return (to.endsWith('/') && rest.startsWith('/') ? to.slice(0, -1) : to) + rest;
}

/**
 * Where a capture goes: the target URL, then the captured path after the inbox address
 * (rewritten if asked), then the target's own query followed by the captured one.
 */
export function forwardUrl(targetUrl: string, capturedPath: string | null, rule: string | null): string {
  const url = new URL(targetUrl);
  const raw = capturedPath ?? '';
  const q = raw.indexOf('?');
  const pathname = rewritePath(q < 0 ? raw : raw.slice(0, q), rule);
  const query = q < 0 ? '' : raw.slice(q + 1);
  const basePath = url.pathname.replace(/\/+$/, '');
  const path = (pathname === '' ? url.pathname : basePath + pathname) || '/';
  const search = [url.search.slice(1), query].filter((part) => part !== '').join('&');
  return `${url.origin}${path}${search ? `?${search}` : ''}`;
}

/** Headers as received, order and repeats kept, without those that belong to the connection. */
export function forwardHeaders(pairs: [string, string][]): [string, string][] {
  // Headers a Connection header names are the connection's too.
  const named = new Set(
    pairs
      .filter(([k]) => k.toLowerCase() === 'connection')
      .flatMap(([, v]) => v.split(','))
      .map((name) => name.trim().toLowerCase())
      .filter(Boolean),
  );
  return pairs.filter(([k]) => !isHopByHop(k) && !OWN_HEADERS.has(k.toLowerCase()) && !named.has(k.toLowerCase()));
}

/** The captured request, as it goes to a target: the exact bytes, the method, the (rewritten) path and query, the headers. */
export function forwardRequest(box: SecretBox, target: { url: string; pathRewrite: string | null }, captured: CapturedRequest, timeoutMs: number): SendRequest {
  const headers = openHeaders(box, JSON.parse(captured.headers) as [string, string][]);
  return {
    method: captured.method ?? 'POST',
    url: forwardUrl(target.url, captured.path, target.pathRewrite),
    headers: forwardHeaders(headers),
    body: captured.body,
    timeoutMs,
  };
}
