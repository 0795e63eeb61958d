import type { HandlerContext, Handlers } from './handlers';

type AccessMethods = 'tokens.create' | 'tokens.list' | 'tokens.revoke' | 'audit.list';

/** The same methods on either store: the access object carries the store (SQLite, or PostgreSQL in pg/access-handlers.ts). */
export function createAccessHandlers({ access }: Pick<HandlerContext, 'access'>): Pick<Handlers, AccessMethods> {
  return {
    'tokens.create': ({ name, role }, caller) => access.createToken(name, role, caller),
    'tokens.list': () => access.listTokens(),
    'tokens.revoke': ({ name }) => access.revokeToken(name),
    'audit.list': ({ beforeId, limit }) => access.listAudit(beforeId, limit),
  };
}
