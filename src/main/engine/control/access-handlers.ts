import type { HandlerContext, Handlers } from './handlers';

type AccessMethods = 'tokens.create' | 'tokens.list' | 'tokens.revoke' | 'audit.list';

export function createAccessHandlers({ access }: HandlerContext): Pick<Handlers, AccessMethods> {
  return {
    'tokens.create': ({ name, role }, caller) => access.createToken(name, role, caller),
    'tokens.list': () => access.listTokens(),
    'tokens.revoke': ({ name }) => access.revokeToken(name),
    'audit.list': ({ beforeId, limit }) => access.listAudit(beforeId, limit),
  };
}
