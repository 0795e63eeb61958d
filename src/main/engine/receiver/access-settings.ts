import type { Db } from '../db/open';
import { getSetting, setSetting } from '../store/settings';
import { OPEN_POLICY, policyFrom, type AccessPolicy } from './access';

const ALLOW = 'receiver.allow';
const TRUSTED = 'receiver.trustedProxies';

const list = (db: Db, key: string): string[] => JSON.parse(getSetting(db, key) ?? '[]') as string[];

/** Validates and stores the direct-mode policy; an empty allowlist lets everyone in. */
export function saveAccess(db: Db, access: { allow?: string[] | undefined; trustedProxies?: string[] | undefined }): AccessPolicy {
  const allow = access.allow ?? list(db, ALLOW);
  const trusted = access.trustedProxies ?? list(db, TRUSTED);
  const policy = policyFrom(allow, trusted);
  setSetting(db, ALLOW, JSON.stringify(allow));
  setSetting(db, TRUSTED, JSON.stringify(trusted));
  return policy;
}

/** Read from the database at most every ttl, so the CLI can change it under a running serve. */
export function accessFromSettings(db: Db, ttlMs = 2000): () => AccessPolicy {
  let cached: AccessPolicy = OPEN_POLICY;
  let readAt = -Infinity;
  return () => {
    if (performance.now() - readAt > ttlMs) {
      readAt = performance.now();
      try {
        cached = policyFrom(list(db, ALLOW), list(db, TRUSTED));
      } catch {
        // A malformed stored range keeps the last good policy rather than opening the door.
      }
    }
    return cached;
  };
}
