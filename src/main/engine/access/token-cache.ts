import type { TokenSummary } from '../../../shared/access-types';
import type { AccessStore } from './statements';

/**
 * How long an instance answers a token from memory. Every instance looks a token up again once
 * this has passed since its last look, so a token revoked through any instance (or the CLI)
 * opens nothing anywhere after at most this long; the instance that revokes it forgets it at once.
 */
export const TOKEN_CACHE_MS = 1000;

/** Tokens looked up at most; past it the cache starts over (a flood of made-up tokens must not grow it). */
const MAX_ENTRIES = 10_000;

interface Entry {
  found: TokenSummary | undefined;
  at: number;
}

/**
 * A store whose token lookups are remembered briefly, for a store over the network: the check
 * on every API request is then a hash and a map lookup, with one database round trip per token
 * and instance at most every TOKEN_CACHE_MS. Hashes that name no token are remembered too (only
 * the exact token they hash could ever name one, and it would be new).
 */
export function withTokenCache(store: AccessStore, now: () => number = Date.now, ttlMs = TOKEN_CACHE_MS): AccessStore {
  const cache = new Map<string, Entry>();
  const looking = new Map<string, Promise<TokenSummary | undefined>>();
  /** Bumped by a revocation here: a lookup that began before it may have read the revoked row, and is not kept. */
  let revocations = 0;

  async function lookUp(hash: string): Promise<TokenSummary | undefined> {
    const at = now();
    const seen = revocations;
    const found = await store.findTokenByHash(hash);
    if (seen !== revocations) return found;
    if (cache.size >= MAX_ENTRIES) cache.clear();
    cache.set(hash, { found, at });
    return found;
  }

  function forgetName(name: string): void {
    for (const [hash, entry] of cache) if (entry.found?.name === name) cache.delete(hash);
  }

  return {
    ...store,
    findTokenByHash(hash) {
      const entry = cache.get(hash);
      if (entry && now() - entry.at < ttlMs) return entry.found;
      // Requests arriving together with the same token share one lookup.
      let pending = looking.get(hash);
      if (!pending) {
        pending = lookUp(hash).finally(() => looking.delete(hash));
        looking.set(hash, pending);
      }
      return pending;
    },
    async insertToken(row) {
      await store.insertToken(row);
      cache.delete(row.tokenHash);
    },
    async deleteToken(name) {
      revocations++;
      const deleted = await store.deleteToken(name);
      revocations++;
      forgetName(name);
      return deleted;
    },
  };
}
