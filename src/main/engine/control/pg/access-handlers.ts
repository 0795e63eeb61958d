import { createAccess } from '../../access/access';
import { pgAccessStore } from '../../access/pg-statements';
import { createAccessHandlers } from '../access-handlers';
import type { PgHandlerGroup } from './team-handlers';

/**
 * tokens.create, tokens.list, tokens.revoke and audit.list on a team server's database: the
 * SQLite handlers over the access object of the server (ctx.access, which its invoker and its
 * HTTP token check share), or one of their own over the pool.
 */
export const pgAccessHandlers: PgHandlerGroup = (ctx) => createAccessHandlers({ access: ctx.access ?? createAccess(pgAccessStore(ctx.pool, { now: ctx.now }), ctx.now) });
