import { z } from 'zod';
import { limit, method } from './contract-method';
import { ROLES, type AuditEntry, type TokenCreated, type TokenSummary } from './access-types';

const tokenName = z
  .string()
  .min(1)
  .max(100)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._@-]*$/, 'letters, digits and . _ @ - only, starting with a letter or digit');

/** Named API tokens and the audit log; part of the engine API in contract.ts. */
export const accessMethods = {
  /** A new token with a role; the token is in the answer once, only its hash is stored. */
  'tokens.create': method<TokenCreated>()(z.object({ name: tokenName, role: z.enum(ROLES) })),
  'tokens.list': method<TokenSummary[]>()(z.object({})),
  'tokens.revoke': method<{ revoked: true }>()(z.object({ name: tokenName })),
  /** Newest first; page on with beforeId. */
  'audit.list': method<AuditEntry[]>()(z.object({ beforeId: z.number().int().positive().optional(), limit })),
} as const;
