import type { IncomingMessage, ServerResponse } from 'node:http';
import { clientAddress, type AccessPolicy } from './access';
import type { HeaderList } from './headers';
import type { RejectionThrottle } from './rejection-throttle';
import { send } from './reply';

/**
 * The caller's address (read through trusted proxies), or null when it has been refused too
 * often of late: it is then answered 429 here, before anything else is read or looked up.
 */
export function admitCaller(req: IncomingMessage, res: ServerResponse, headers: HeaderList, policy: AccessPolicy, throttle: RejectionThrottle): string | null {
  const forwardedFor = headers.all('x-forwarded-for');
  const remote = clientAddress(req.socket.remoteAddress ?? '', forwardedFor.length ? forwardedFor.join(', ') : undefined, policy);
  const blockedMs = throttle.blockedFor(remote);
  if (blockedMs <= 0) return remote;
  const retryAfter = String(Math.ceil(blockedMs / 1000));
  send(res, 429, { error: 'too_many_refused_requests', retryAfter: Number(retryAfter) }, true, { 'retry-after': retryAfter });
  return null;
}
