import { ProviderError } from './errors';

interface Block {
  until: number;
  why: string;
}

const iso = (ms: number) => new Date(ms).toISOString();

/**
 * Remembers, per credential, when the provider said to stop; calls before then fail
 * at once instead of spending what is left of the quota (or drawing a longer ban).
 */
export function createRateGate(now: () => number) {
  const blocked = new Map<string, Block>();

  function refuse(block: Block): never {
    const seconds = Math.max(1, Math.ceil((block.until - now()) / 1000));
    throw new ProviderError(
      'rate_limited',
      `${block.why} Hookbench makes no further calls with this credential until ${iso(block.until)} (in ${seconds} s); try again then.`,
      null,
      block.until,
    );
  }

  return {
    check(key: string): void {
      const block = blocked.get(key);
      if (!block) return;
      if (now() >= block.until) blocked.delete(key);
      else refuse(block);
    },
    /** Reads the quota headers of a response; throws when the response is a rate-limit refusal. */
    observe(key: string, who: string, status: number, headers: Headers, message: string | null): void {
      const remaining = headers.get('x-ratelimit-remaining') ?? headers.get('ratelimit-remaining');
      const reset = Number(headers.get('x-ratelimit-reset') ?? headers.get('ratelimit-reset') ?? NaN);
      const retryAfter = Number(headers.get('retry-after') ?? NaN);
      const resetAt = Number.isFinite(reset) && reset > 0 ? reset * 1000 : null;
      const limited =
        status === 429 || (status === 403 && (remaining === '0' || Number.isFinite(retryAfter) || /rate limit/i.test(message ?? '')));
      if (limited) {
        // Retry-After is the secondary (abuse) limit and wins; else the primary window's reset; else a minute.
        const until = Number.isFinite(retryAfter) ? now() + retryAfter * 1000 : (resetAt ?? now() + 60_000);
        const block = { until, why: `${who} refused the call: rate limit reached (HTTP ${status}${message ? `: ${message}` : ''}).` };
        blocked.set(key, block);
        refuse(block);
      }
      if (remaining === '0' && resetAt !== null && resetAt > now()) {
        blocked.set(key, { until: resetAt, why: `${who}'s rate limit for this credential is used up.` });
      }
    },
  };
}

export type RateGate = ReturnType<typeof createRateGate>;
