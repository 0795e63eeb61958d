import { ApiError } from '../../../shared/contract';
import type { Captured } from './captured';
import { askReplay, type InboxTarget, type ReplaySteps } from './replay-ops';

/** A replay goes to a URL, into a package's receiver or into an inbox: never silently to one of them. */
export function oneTarget<T extends { to?: string | undefined; packageId?: string | undefined; inboxId?: string | undefined }>(options: T): T {
  if ([options.to, options.packageId, options.inboxId].filter(Boolean).length > 1) {
    throw new ApiError('invalid_params', 'Replay to one target: a URL (to), a package (packageId) or an inbox (inboxId).');
  }
  return options;
}

/**
 * A capture's path (after its inbox address, query included) carried on to a URL: the path
 * goes after the URL's own path, the query after its own query.
 * `http://127.0.0.1:3000/hooks` + `/billing/events?v=2` → `http://127.0.0.1:3000/hooks/billing/events?v=2`.
 */
export function withCapturedPath(to: string, path: string | null | undefined): string {
  if (!path) return to;
  const url = new URL(to);
  const at = path.indexOf('?');
  const subPath = at === -1 ? path : path.slice(0, at);
  const query = at === -1 ? '' : path.slice(at + 1);
  if (subPath && subPath !== '/') url.pathname = url.pathname.replace(/\/+$/, '') + (subPath.startsWith('/') ? subPath : `/${subPath}`);
  else if (subPath === '/' && !url.pathname.endsWith('/')) url.pathname += '/';
  const own = url.search.slice(1);
  const joined = [own, query].filter(Boolean).join('&');
  // Assigned as written: URLSearchParams would re-encode what the sender sent.
  return url.origin + url.pathname + (joined ? `?${joined}` : '') + url.hash;
}

/**
 * The inbox a replay goes into: the one asked for, else (no package asked for) the inbox the
 * capture came from. null: it goes to a package's hook.
 */
export function* targetInbox(captured: Captured, options: { inboxId?: string | undefined; packageId?: string | undefined }): ReplaySteps<InboxTarget | null> {
  if (options.inboxId) {
    const inbox = yield* askReplay('inboxById', options.inboxId);
    if (!inbox) throw new ApiError('not_found', `No inbox with id ${options.inboxId}.`);
    return inbox;
  }
  if (options.packageId || !captured.hookId) return null;
  return (yield* askReplay('inboxById', captured.hookId)) ?? null;
}
