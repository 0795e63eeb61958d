import type { DeliverySummary } from '../../../shared/types';
import type { ProviderStore } from './provider-store';

/** Hookbench's own record of provider delivery ids on one hook: the first copy of each (later ones are repeats). */
export async function hookbenchCopies(store: ProviderStore, hookId: string, providerIds: string[]): Promise<Map<string, DeliverySummary>> {
  const found = new Map<string, DeliverySummary>();
  if (providerIds.length === 0) return found;
  for (const summary of await store.deliveriesByProviderId(hookId, providerIds)) {
    const seen = found.get(summary.providerDeliveryId!);
    // A stored copy beats a rejected one: it is what the provider's redelivery would repeat.
    if (!seen || (seen.outcome === 'rejected' && summary.outcome !== 'rejected')) found.set(summary.providerDeliveryId!, summary);
  }
  return found;
}

/**
 * Waits for something another part of the system (or another process: a running serve
 * shares the database) writes, by looking again every pollMs.
 */
export async function waitForRow<T>(probe: () => T | undefined | Promise<T | undefined>, timeoutMs: number, pollMs: number, signal?: AbortSignal): Promise<T | undefined> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = await probe();
    if (found !== undefined || Date.now() >= deadline || signal?.aborted) return found;
    await new Promise((resolve) => setTimeout(resolve, Math.min(pollMs, Math.max(1, deadline - Date.now()))));
  }
}

export const duration = (ms: number) => (ms < 1000 ? `${ms} ms` : `${Math.round(ms / 1000)} s`);
