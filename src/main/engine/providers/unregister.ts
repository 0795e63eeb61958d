/**
 * Removing a package managed through a connection takes its hook off the provider too,
 * so the provider stops sending to an address that now answers 404. When that fails the
 * package is removed all the same, and the outcome says where to delete the hook by hand.
 */
import type { PackageRemoved } from '../../../shared/types';
import type { ProviderContext } from './context';
import { connectionRow } from './connections';
import { HISTORY_RULES } from './history-rules';
import { loadManaged, upstreamOf } from './managed';

export interface UpstreamRemoval {
  upstream: PackageRemoved['upstream'];
  /** What became of the hook upstream, in a sentence; null when Hookbench never managed one. */
  outcome: string | null;
}

export async function deleteUpstreamHook(ctx: ProviderContext, packageId: string): Promise<UpstreamRemoval> {
  const m = await loadManaged(ctx.store, packageId);
  const name = HISTORY_RULES[m.pkg.provider].name;
  const hookId = m.hook.providerHookId;
  if (!m.connection || !hookId) return { upstream: 'none', outcome: null };
  try {
    const up = upstreamOf(ctx, await connectionRow(ctx.store, m.connection.id));
    const gone = await up.api.deleteHook(m.repo, hookId, up.who);
    return { upstream: gone, outcome: gone === 'deleted' ? `Its hook ${hookId} was deleted on ${name}.` : `Its hook ${hookId} was already gone on ${name}.` };
  } catch (error) {
    return {
      upstream: 'failed',
      outcome:
        `Its hook on ${name} could not be deleted: ${(error as Error).message} ` +
        `Delete it under ${m.pkg.repoFullName} → Settings → Webhooks; until then ${name} keeps sending to an address that answers 404.`,
    };
  }
}
