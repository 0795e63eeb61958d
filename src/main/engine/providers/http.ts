/**
 * The one way provider APIs are called: the credential's headers, a timeout, rate-limit
 * bookkeeping, and the failures every call shares (unreachable, 401, 5xx) turned into
 * messages a person can act on. Status codes a caller understands better are returned.
 */
import type { Provider } from '../../../shared/types';
import { providerName } from './base-url';
import { ProviderError } from './errors';
import type { RateGate } from './rate-gate';

export type FetchLike = (url: string, init: RequestInit) => Promise<Response>;

export interface ApiTarget {
  provider: Provider;
  /** REST root, no trailing slash. */
  baseUrl: string;
  token: string;
  /** Rate limits are kept per credential. */
  key: string;
  /** How messages name the credential: `connection conn_… (octocat)`. */
  label: string;
}

export interface ApiResponse {
  status: number;
  headers: Headers;
  body: unknown;
}

export interface RequestOptions {
  body?: unknown;
  query?: Record<string, string | number | undefined>;
}

export interface ApiClientDeps {
  fetch: FetchLike;
  gate: RateGate;
  userAgent: string;
  timeoutMs: number;
  /** Aborts calls under way when the engine closes. */
  signal?: AbortSignal;
}

function headersFor(target: ApiTarget, userAgent: string, hasBody: boolean): Record<string, string> {
  const common = { 'user-agent': userAgent, ...(hasBody ? { 'content-type': 'application/json' } : {}) };
  return target.provider === 'github'
    ? { ...common, accept: 'application/vnd.github+json', 'x-github-api-version': '2022-11-28', authorization: `Bearer ${target.token}` }
    : { ...common, accept: 'application/json', 'private-token': target.token };
}

/** The provider's own words: GitHub and GitLab both answer errors with `message` (GitLab sometimes `error`). */
export function messageOf(body: unknown): string | null {
  if (body === null || typeof body !== 'object') return typeof body === 'string' && body ? body.slice(0, 300) : null;
  const record = body as Record<string, unknown>;
  const main = record.message ?? record.error;
  const text = typeof main === 'string' ? main : main !== undefined ? JSON.stringify(main) : null;
  const details = Array.isArray(record.errors)
    ? record.errors
        .map((e) => (typeof e === 'string' ? e : typeof (e as { message?: unknown }).message === 'string' ? (e as { message: string }).message : null))
        .filter((e): e is string => e !== null)
    : [];
  return [text, ...details].filter(Boolean).join(': ').slice(0, 500) || null;
}

/** `Link: <…>; rel="next", <…>; rel="last"` */
export function linkTo(headers: Headers, rel: string): string | null {
  for (const part of (headers.get('link') ?? '').split(',')) {
    const match = /<([^>]+)>\s*;\s*rel="?([^";]+)"?/.exec(part.trim());
    if (match && match[2]!.split(/\s+/).includes(rel)) return match[1]!;
  }
  return null;
}

export function createApiClient(deps: ApiClientDeps) {
  function urlFor(target: ApiTarget, pathOrUrl: string, query: RequestOptions['query']): string {
    const url = new URL(pathOrUrl.startsWith('http') ? pathOrUrl : target.baseUrl + pathOrUrl);
    // The token goes only where the connection points, whatever a Link header says.
    if (!url.href.startsWith(target.baseUrl + '/')) {
      throw new ProviderError('unexpected', `${providerName(target.provider)} pointed Hookbench at ${url.origin}, outside ${target.baseUrl}; not followed.`);
    }
    for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined) url.searchParams.set(k, String(v));
    return url.href;
  }

  async function request(target: ApiTarget, method: string, pathOrUrl: string, options: RequestOptions = {}): Promise<ApiResponse> {
    const who = providerName(target.provider);
    const url = urlFor(target, pathOrUrl, options.query);
    deps.gate.check(target.key);
    let res: Response;
    try {
      res = await deps.fetch(url, {
        method,
        headers: headersFor(target, deps.userAgent, options.body !== undefined),
        ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
        signal: deps.signal ? AbortSignal.any([AbortSignal.timeout(deps.timeoutMs), deps.signal]) : AbortSignal.timeout(deps.timeoutMs),
      });
    } catch (error) {
      const cause = (error as { cause?: { code?: string; message?: string } }).cause;
      const name = (error as Error).name;
      const why =
        name === 'TimeoutError'
          ? `no answer within ${deps.timeoutMs / 1000} s`
          : name === 'AbortError'
            ? 'Hookbench was closing before the answer came'
            : (cause?.code ?? cause?.message ?? (error as Error).message);
      throw new ProviderError('unreachable', `Could not reach ${who} at ${target.baseUrl} (${why}). Check the address and the network, then try again.`);
    }
    const text = await res.text();
    let body: unknown = text;
    try {
      body = text ? JSON.parse(text) : null;
    } catch {
      // Not JSON (a proxy's error page): keep the text for the message.
    }
    const message = messageOf(body);
    deps.gate.observe(target.key, who, res.status, res.headers, message);
    if (res.status === 401) {
      throw new ProviderError(
        'unauthorized',
        `${who} rejected the token of ${target.label} (HTTP 401${message ? `: ${message}` : ''}): it is wrong, expired or revoked. Add the connection again with a valid token.`,
        401,
      );
    }
    if (res.status >= 500) {
      throw new ProviderError('server', `${who} failed answering ${method} ${new URL(url).pathname} (HTTP ${res.status}${message ? `: ${message}` : ''}). Try again later.`, res.status);
    }
    return { status: res.status, headers: res.headers, body };
  }

  /** Follows `Link: rel="next"` (both providers use it), at most maxPages pages. */
  async function paginate<T>(target: ApiTarget, path: string, query: RequestOptions['query'], what: string, maxPages = 20): Promise<{ items: T[]; truncated: boolean }> {
    const items: T[] = [];
    let next: string | null = urlFor(target, path, query);
    for (let page = 0; next && page < maxPages; page++) {
      const res = await request(target, 'GET', next);
      if (res.status !== 200 || !Array.isArray(res.body)) throw unexpected(target, res, what);
      items.push(...(res.body as T[]));
      next = linkTo(res.headers, 'next');
    }
    return { items, truncated: next !== null };
  }

  return { request, paginate };
}

export type ApiClient = ReturnType<typeof createApiClient>;

/** A status the caller did not expect, in the provider's words. */
export function unexpected(target: ApiTarget, res: ApiResponse, what: string): ProviderError {
  const message = messageOf(res.body);
  const failure = res.status === 404 ? 'not_found' : res.status === 403 ? 'forbidden' : res.status === 422 || res.status === 400 ? 'validation' : 'unexpected';
  return new ProviderError(failure, `${providerName(target.provider)} answered HTTP ${res.status} to ${what}${message ? `: ${message}` : ''}.`, res.status);
}
