import { ApiError } from '../../../../shared/contract';
import type { InboxForwardTarget } from '../../../../shared/inbox-types';
import type { inboxForwardTargets } from '../../db/schema';

/** Retries after a failed forward, in seconds: a local app being restarted is back within these. */
export const DEFAULT_FORWARD_RETRY = [1, 5, 30, 120, 600, 1800, 3600];

export type TargetRow = typeof inboxForwardTargets.$inferSelect;

export interface TargetInput {
  url: string;
  events?: string[] | undefined;
  pathRewrite?: string | null | undefined;
  passBack?: boolean | undefined;
  retrySeconds?: number[] | undefined;
}

export function toForwardTarget(row: TargetRow): InboxForwardTarget {
  return {
    url: row.url,
    events: JSON.parse(row.events) as string[],
    pathRewrite: row.pathRewrite,
    passBack: row.passBack,
    retrySeconds: JSON.parse(row.retrySeconds) as number[],
  };
}

/** A target that is this inbox's own address (direct, or through a smee channel) would forward each capture back into it for ever. */
export function isOwnAddress(url: URL, inboxId: string): boolean {
  const own = `/in/${inboxId}`;
  return [url.pathname, url.searchParams.get('path') ?? ''].some((path) => path === own || path.startsWith(own + '/') || path.startsWith(own + '?'));
}

/** Only http(s) URLs with a host, normalised as the URL parser writes them. */
export function checkUrl(text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new ApiError('invalid_params', `"${text}" is not a URL; give one such as http://localhost:3000/webhooks.`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new ApiError('invalid_params', `"${text}" must be an http or https URL.`);
  if (url.hash) throw new ApiError('invalid_params', `"${text}" has a #fragment, which is never sent; leave it out.`);
  return url.toString();
}

/** `FROM=>TO`: both paths starting with "/". */
export function parsePathRewrite(rule: string): { from: string; to: string } {
  const at = rule.indexOf('=>');
  const from = at < 0 ? '' : rule.slice(0, at).trim();
  const to = at < 0 ? '' : rule.slice(at + 2).trim();
  if (at < 0 || !from.startsWith('/') || !to.startsWith('/')) {
    throw new ApiError('invalid_params', `Path rewrite "${rule}" should read FROM=>TO with both paths starting with "/", e.g. /stripe=>/api/webhooks.`);
  }
  return { from, to };
}
