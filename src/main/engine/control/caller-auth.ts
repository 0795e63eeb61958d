import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Caller } from '../../../shared/access-types';
import type { Access } from '../access/access';

export type Authorisation = { caller: Caller } | { caller: null; presented: boolean };

/**
 * Who an /api request comes from.
 * - The per-launch token is the local user (every role), accepted only while the control API
 *   listens on loopback: it is printed to whoever started serve, and a shared server has no
 *   "local" user.
 * - A named token (hookbench token create) is its owner, with its role.
 * EventSource cannot set headers, so ?token= stands in for the Authorization header.
 */
/**
 * Where a request came from. Behind a proxy the peer is the proxy: the client is the last
 * X-Forwarded-For entry, the one the proxy itself added (earlier ones are the client's word).
 */
export function remoteAddressOf(req: IncomingMessage, behindProxy: boolean): string | null {
  const peer = req.socket.remoteAddress ?? null;
  const forwarded = behindProxy ? req.headers['x-forwarded-for'] : undefined;
  const last = (Array.isArray(forwarded) ? forwarded.at(-1) : forwarded)?.split(',').at(-1)?.trim();
  return last ? `${last} via ${peer ?? 'proxy'}` : peer;
}

export function createCallerAuth(launchToken: string, access: Access | undefined, localOnly: () => boolean, behindProxy = false) {
  const launchBytes = Buffer.from(launchToken);
  const isLaunchToken = (candidate: string) => {
    const bytes = Buffer.from(candidate);
    return bytes.length === launchBytes.length && timingSafeEqual(bytes, launchBytes);
  };

  return async (req: IncomingMessage, url: URL): Promise<Authorisation> => {
    const header = req.headers.authorization;
    const presented = header?.startsWith('Bearer ') ? header.slice(7).trim() : url.searchParams.get('token');
    const address = remoteAddressOf(req, behindProxy);
    if (!presented) return { caller: null, presented: false };
    if (localOnly() && isLaunchToken(presented)) return { caller: { name: 'local', role: 'admin', address } };
    const named = (await access?.authenticate(presented, address)) ?? null;
    return named ? { caller: named } : { caller: null, presented: true };
  };
}
