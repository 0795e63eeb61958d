/**
 * Removing a package managed through a connection takes its hook off the provider too,
 * so the provider stops sending to an address that now answers 404. When that fails the
 * package is removed all the same, and the result says where to delete the hook by hand.
 */
import type { PackageRemoved } from '../../../shared/types';
import type { ProviderContext } from './context';
import { HISTORY_RULES } from './history-rules';
import { loadManaged, upstreamOf } from './managed';
import { connectionRow } from './connections';

export async function deleteUpstreamHook(ctx: ProviderContext, packageId: string): Promise<Omit<PackageRemoved, 'removed'>> {
  const m = loadManaged(ctx.db, packageId);
  const name = HISTORY_RULES[m.pkg.provider].name;
  if (!m.connection || !m.hook.providerHookId) {
    return { upstream: 'none', message: `Package ${m.pkg.name} removed; its hook URL now answers 404. Delete the hook on ${name} if you added one by hand.` };
  }
  const up = upstreamOf(ctx, connectionRow(ctx.db, m.connection.id));
  try {
    const outcome = await up.api.deleteHook(m.repo, m.hook.providerHookId, up.who);
    return {
      upstream: outcome,
      message:
        outcome === 'deleted'
          ? `Package ${m.pkg.name} removed, and its hook ${m.hook.providerHookId} deleted on ${name}.`
          : `Package ${m.pkg.name} removed; its hook ${m.hook.providerHookId} was already gone on ${name}.`,
    };
  } catch (error) {
    return {
      upstream: 'failed',
      message:
        `Package ${m.pkg.name} removed, but its hook on ${name} could not be deleted: ${(error as Error).message} ` +
        `Delete it under ${m.pkg.repoFullName} → Settings → Webhooks; until then ${name} keeps sending to an address that answers 404.`,
    };
  }
}
