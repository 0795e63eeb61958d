import type { ProviderDeliveries } from '../../../shared/types';
import type { ProviderContext } from './context';
import { hookbenchCopies } from './hookbench-deliveries';
import { loadManaged, requireHook, requireUpstream } from './managed';

/** The provider's recent deliveries for a package's hook, each beside Hookbench's copy of the same delivery id. */
export async function providerDeliveries(ctx: ProviderContext, input: { id: string; limit: number; cursor?: string | undefined }): Promise<ProviderDeliveries> {
  const m = await loadManaged(ctx.store, input.id);
  const up = await requireUpstream(ctx, m, 'list deliveries');
  const hookId = requireHook(m, 'list its deliveries');
  const page = await up.api.history!.deliveries(m.repo, hookId, { perPage: input.limit, cursor: input.cursor });
  const copies = await hookbenchCopies(ctx.store, m.hook.id, [...new Set(page.items.map((d) => d.guid))]);
  return {
    id: m.pkg.id,
    provider: m.pkg.provider,
    supported: true,
    message: null,
    deliveries: page.items.map(({ payload: _payload, ...d }) => ({ ...d, hookbench: copies.get(d.guid) ?? null })),
    nextCursor: page.nextCursor,
  };
}
