/**
 * smee channels: creating one, and the URL a hook gets through it.
 *
 * smee routes only `/<channel>`: a path below the channel is not carried, the query string
 * is (as `query` in each event). One channel therefore serves every hook of a data dir,
 * with the receiver path in the query: `{channel}?path=/hooks/<hook id>`. Setting the
 * receiver's public base URL to `{channel}?path=` makes every hook URL take that shape.
 */
export const DEFAULT_SMEE_SERVER = 'https://smee.io';

/** The query parameter that carries the receiver path (`/hooks/<id>`) through smee. */
export const HOOK_QUERY = 'path';

const CHANNEL_PATH = /^\/[A-Za-z0-9_-]{1,128}$/;
const HOOK_PATH = /^\/hooks\/([A-Za-z0-9_-]{1,128})\/?$/;
const HOOK_ID = /^[A-Za-z0-9_-]{1,128}$/;

function httpUrl(text: string, what: string): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new Error(`${what} "${text}" is not a URL.`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error(`${what} "${text}" must be an http or https URL.`);
  return url;
}

/** The smee server's base URL, without a trailing slash, query or fragment. */
export function normalizeServer(server: string): string {
  const url = httpUrl(server, 'The smee server');
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}

/** A channel URL as smee hands it out: http(s)://host/<channel>, nothing after. */
export function normalizeChannel(channel: string): string {
  const url = httpUrl(channel, 'The smee channel');
  if (!CHANNEL_PATH.test(url.pathname)) {
    throw new Error(`The smee channel "${channel}" should look like https://smee.io/<channel>, with letters, digits, "-" or "_" after the slash.`);
  }
  return `${url.origin}${url.pathname}`;
}

/** What the receiver's public base URL is set to, so hook URLs read `{channel}?path=/hooks/<id>`. */
export const tunnelHookBase = (channelUrl: string) => `${channelUrl}?${HOOK_QUERY}=`;

/** The hook id an event was sent for: from `?path=/hooks/<id>`, or a bare `?hook=<id>`. */
export function hookIdFromQuery(query: Record<string, unknown>): string | null {
  const first = (value: unknown) => (Array.isArray(value) ? value[0] : value);
  const path = first(query[HOOK_QUERY]);
  if (typeof path === 'string') return HOOK_PATH.exec(path)?.[1] ?? null;
  const hook = first(query.hook);
  return typeof hook === 'string' && HOOK_ID.test(hook) ? hook : null;
}

const INBOX_PATH = /^\/in\/([A-Za-z0-9_-]{1,128})((?:[/?].*)?)$/s;

/**
 * The inbox an event was sent for, from `?path=/in/<id>[/sub/path]`, and the rest of its target:
 * the sub-path, then the query it carried (inside the path value, or as the channel URL's other
 * parameters, which smee passes on beside `path`).
 */
export function inboxTargetFromQuery(query: Record<string, unknown>): { inboxId: string; rest: string } | null {
  const path = Array.isArray(query[HOOK_QUERY]) ? (query[HOOK_QUERY] as unknown[])[0] : query[HOOK_QUERY];
  const found = typeof path === 'string' ? INBOX_PATH.exec(path) : null;
  if (!found) return null;
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (key === HOOK_QUERY) continue;
    for (const one of Array.isArray(value) ? value : [value]) if (typeof one === 'string') params.append(key, one);
  }
  const extra = params.toString();
  const rest = found[2] ?? '';
  return { inboxId: found[1]!, rest: extra ? `${rest}${rest.includes('?') ? '&' : '?'}${extra}` : rest };
}

export type FetchLike = (input: string, init: RequestInit) => Promise<Response>;

/** `GET {server}/new` answers 307 with the fresh channel in Location; the redirect is read, not followed. */
export async function createChannel(server: string, fetchImpl: FetchLike = fetch, timeoutMs = 10_000): Promise<string> {
  const base = normalizeServer(server);
  const newUrl = `${base}/new`;
  let res: Response;
  try {
    res = await fetchImpl(newUrl, { method: 'GET', redirect: 'manual', signal: AbortSignal.timeout(timeoutMs) });
  } catch (error) {
    const cause = (error as { cause?: { message?: string } }).cause?.message;
    throw new Error(`Could not reach the smee server at ${base}: ${cause ?? (error as Error).message}.`);
  }
  await res.body?.cancel().catch(() => undefined);
  const location = res.headers.get('location');
  if (res.status < 300 || res.status >= 400 || !location) {
    throw new Error(`${newUrl} answered ${res.status} without redirecting to a new channel; is ${base} a smee server?`);
  }
  return normalizeChannel(new URL(location, newUrl).toString());
}
