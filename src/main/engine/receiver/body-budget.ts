import type { ServerResponse } from 'node:http';

export interface BodyBudgetOptions {
  /** Bytes of request bodies held in memory at once, in all. */
  total: number;
  /** The same, per address; addresses this says speak for many (loopback, trusted proxies) are held only to the total. */
  perAddress: number;
  shared?: (address: string) => boolean;
}

/**
 * Bounds the memory taken by bodies being read whole (signed requests, whose bytes must be
 * checked before anything is decided): a request that would pass the budget is turned away
 * before its body is read, rather than letting a crowd of large requests, forged or not,
 * take the memory of the machine. Its share is given back when its answer is done.
 */
export function createBodyBudget(options: BodyBudgetOptions) {
  let used = 0;
  const byAddress = new Map<string, number>();

  return {
    /** Holds `bytes` for this request until its response closes; false when there is no room. */
    hold(address: string, bytes: number, res: ServerResponse): boolean {
      const own = options.shared?.(address) ? null : (byAddress.get(address) ?? 0);
      if (used + bytes > options.total || (own !== null && own + bytes > options.perAddress)) return false;
      used += bytes;
      if (own !== null) byAddress.set(address, own + bytes);
      res.once('close', () => {
        used -= bytes;
        if (own === null) return;
        const left = (byAddress.get(address) ?? bytes) - bytes;
        if (left > 0) byAddress.set(address, left);
        else byAddress.delete(address);
      });
      return true;
    },
    inUse: () => used,
  };
}
