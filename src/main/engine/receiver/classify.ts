import type { Provider } from '../../../shared/types';
import type { HeaderList } from './headers';
import { decodePayload, eventOf, readTagPush, refOf, repoIdOf } from './payload';

export type Classification =
  | { kind: 'tag_push'; tag: string }
  | { kind: 'ping' }
  | { kind: 'ignored'; reason: string }
  | { kind: 'rejected'; status: number; reason: string };

export interface PinnedPackage {
  provider: Provider;
  repoId: string;
  repo: string;
}

/**
 * Decides what an authenticated request is, after its signature passed:
 * only tag pushes go on to ingest, and only for the package the hook belongs to.
 */
export function classify(
  pkg: PinnedPackage,
  headers: HeaderList,
  contentType: string | undefined,
  body: Buffer,
): Classification {
  const event = eventOf(pkg.provider, headers);
  if (!event) {
    const header = pkg.provider === 'github' ? 'X-GitHub-Event' : 'X-Gitlab-Event';
    return { kind: 'rejected', status: 400, reason: `${header} is missing, so the event cannot be told.` };
  }
  const decoded = decodePayload(contentType, body);
  if (!decoded.ok) return { kind: 'rejected', status: 400, reason: decoded.reason };
  const payload = decoded.payload;

  const repoId = repoIdOf(pkg.provider, payload);
  const isPing = pkg.provider === 'github' && event === 'ping';
  if (repoId !== null && repoId !== pkg.repoId) {
    return {
      kind: 'rejected',
      status: 422,
      reason: `Payload is for repository id ${repoId}, but this hook belongs to ${pkg.repo} (id ${pkg.repoId}); it cannot ingest into another package.`,
    };
  }
  if (isPing) return { kind: 'ping' };

  const tagEvent = pkg.provider === 'github' ? event === 'push' : event === 'Tag Push Hook';
  if (!tagEvent) {
    return { kind: 'ignored', reason: `"${event}" events do not trigger ingest; only tag pushes do.` };
  }
  if (repoId === null) {
    return { kind: 'rejected', status: 422, reason: 'Tag push payload carries no repository id, so it cannot be matched to this package.' };
  }
  const push = readTagPush(pkg.provider, payload);
  if (!push) {
    return { kind: 'ignored', reason: `Push to ${refOf(payload) ?? 'an unknown ref'} is not a tag push.` };
  }
  return { kind: 'tag_push', tag: push.tag };
}
