import { pgResetSecrets } from '../../secrets/pg-reset';
import type { Handlers } from '../handlers';
import type { PgHandlerGroup } from './team-handlers';

/**
 * `secrets reset` on a team server's database, as on a data dir: what the shared key no longer
 * opens gets new secrets. Run through `--database` while no instance can start (their key check
 * refuses), or through a running instance (which then answers with the new secrets at once; the
 * others read them within a second).
 */
export const pgSecretsHandlers: PgHandlerGroup = (ctx): Pick<Handlers, 'secrets.reset'> => ({
  'secrets.reset': async () => {
    const reset = await pgResetSecrets(ctx.pool, ctx.box, ctx.receiverUrl() ?? '', ctx.now);
    await ctx.secretsChanged?.();
    ctx.bus.publish({ type: 'packages' });
    ctx.bus.publish({ type: 'endpoints' });
    return reset;
  },
});
