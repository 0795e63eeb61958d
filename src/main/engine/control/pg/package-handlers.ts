import type { Pool } from 'pg';
import { ApiError } from '../../../../shared/contract';
import { keysetPageAsync } from '../../store/keyset';
import { noPackage } from '../../store/package-decisions';
import { pgAddPackage, pgGetPackage, pgHasPackage, pgListPackages, pgRemovePackage } from '../../store/pg-packages';
import { pgCountReleases, pgListReleases } from '../../store/pg-releases';
import { DEFAULT_RECEIVER_URL } from '../../store/settings';
import type { Handlers } from '../handlers';
import type { PgHandlerContext } from './pg-handler-context';
import type { PgHandlerGroup } from './team-handlers';

type PackageMethods = 'server.info' | 'packages.add' | 'packages.list' | 'packages.get' | 'packages.remove' | 'releases.list' | 'releases.page';

/**
 * Where a team server keeps its data, for server.info's dataDir (the contract's field is a
 * string): the database's address without its credentials or connection options.
 */
export function databaseLocation(pool: Pool): string {
  const { connectionString, host, port, database } = pool.options;
  if (connectionString) {
    try {
      const url = new URL(connectionString);
      return `${url.protocol}//${url.host}${url.pathname}`;
    } catch {
      // Not a URL (a libpq key=value string): named below from the pool's own fields.
    }
  }
  return `postgres://${host ?? 'localhost'}:${port ?? 5432}/${database ?? ''}`;
}

/**
 * Packages and their releases on a team server's database. Removing a package managed through a
 * provider connection takes its hook off the provider first (when the server runs providers).
 */
export const pgPackageHandlers: PgHandlerGroup = (ctx: PgHandlerContext): Pick<Handlers, PackageMethods> => {
  const { pool, box, bus } = ctx;
  const receiverBase = () => ctx.receiverUrl() ?? DEFAULT_RECEIVER_URL;
  const changed = () => {
    bus.publish({ type: 'packages' });
    ctx.kickDispatcher();
  };
  return {
    'server.info': () => ({ version: ctx.version, dataDir: databaseLocation(pool), receiverUrl: ctx.receiverUrl(), secretStore: box.kind }),
    'packages.add': async (p) => {
      const created = await pgAddPackage(pool, box, p, receiverBase(), ctx.now());
      changed();
      return created;
    },
    'packages.list': () => pgListPackages(pool, receiverBase()),
    'packages.get': ({ id }) => pgGetPackage(pool, receiverBase(), id),
    'packages.remove': async ({ id }) => {
      if (!(await pgHasPackage(pool, id))) throw new ApiError('not_found', noPackage(id));
      // Managed through a connection: its hook goes off the provider too, as on a data dir.
      const { upstream, outcome } = ctx.providers ? await ctx.providers.deleteUpstreamHook(id) : { upstream: 'none' as const, outcome: null };
      const message = await pgRemovePackage(pool, id, outcome);
      changed();
      return { removed: true as const, upstream, message };
    },
    'releases.list': async ({ packageId }) => {
      await pgGetPackage(pool, receiverBase(), packageId);
      return pgListReleases(pool, packageId);
    },
    'releases.page': async ({ packageId, ...page }) => {
      if (!(await pgHasPackage(pool, packageId))) throw new ApiError('not_found', noPackage(packageId));
      return keysetPageAsync(
        'releases',
        page,
        (beforeId, limit) => pgListReleases(pool, packageId, { beforeId, limit }),
        () => pgCountReleases(pool, packageId),
      );
    },
  };
};
