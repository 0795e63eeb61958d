import { createHash, randomBytes } from 'node:crypto';
import { ApiError, type MethodName } from '../../../shared/contract';
import type { Caller, Role, TokenCreated } from '../../../shared/access-types';
import { isChange, mayCall } from '../../../shared/roles';
import { auditTarget } from './audit-target';
import type { AccessStore } from './statements';

const TOKEN_PREFIX = 'hbk_';
/** A token's last use is written at most this often: a write per API call would compete with the receiver. */
const TOUCH_EVERY_MS = 60_000;
/** Refused tokens written one by one per address and minute; past that, one row counts the rest (a flood must not become a flood of disk writes). */
const REFUSALS_ITEMISED = 10;
const REFUSAL_WINDOW_MS = 60_000;

export const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

export interface AuditedCall {
  caller: Caller;
  method: string;
  params?: unknown;
  result?: unknown;
  outcome: string;
}

/** Named tokens, role checks and the audit log, over one AccessStore. */
export function createAccess(store: AccessStore, now: () => number = Date.now) {
  const touched = new Map<string, number>();
  const refusals = new Map<string, { since: number; count: number }>();

  /** Whatever the store does with an audit row, the call it records goes on: neither waits for it nor fails with it. */
  function record({ caller, method, params, result, outcome }: AuditedCall): void {
    const unwritten = (error: unknown) => process.emitWarning(`Could not write the audit log: ${(error as Error).message}`);
    try {
      const written = store.insertAudit({
        at: now(),
        actor: caller.name,
        role: caller.role,
        method,
        target: outcome === 'unauthorised' ? null : auditTarget(params, result),
        outcome,
        remoteAddress: caller.address,
      });
      if (written instanceof Promise) written.catch(unwritten);
    } catch (error) {
      // The change itself is done; a log row that cannot be written must not undo or hide it.
      unwritten(error);
    }
  }

  return {
    /** Whether any named token exists: from then on every HTTP call needs one (or the launch token on loopback). */
    hasTokens: async (): Promise<boolean> => (await store.tokenCount()) > 0,

    /** The caller a bearer token names, or null when it names none. */
    async authenticate(token: string, address: string | null): Promise<Caller | null> {
      if (!token.startsWith(TOKEN_PREFIX)) return null;
      const found = await store.findTokenByHash(hashToken(token));
      if (!found) return null;
      const at = now();
      if (at - (touched.get(found.name) ?? 0) >= TOUCH_EVERY_MS) {
        touched.set(found.name, at);
        // Busy, or the network: the next use writes it. The request does not wait for it.
        try {
          const touching = store.touchToken(found.name, at);
          if (touching instanceof Promise) touching.catch(() => undefined);
        } catch {
          // As above.
        }
      }
      return { name: found.name, role: found.role, address };
    },

    /** Refuses a method the caller's role does not allow, and writes the refusal to the audit log. */
    check(caller: Caller, method: MethodName): void {
      if (mayCall(caller.role, method)) return;
      record({ caller, method, outcome: 'forbidden' });
      throw new ApiError('forbidden', `The ${caller.role} role may not call ${method}; ask an admin for a token with a higher role.`);
    },

    /** A token that named nobody: written down with where it came from, never with the token. */
    refused(address: string | null, what: string): void {
      const caller: Caller = { name: 'unknown', role: 'viewer', address };
      const at = now();
      const key = address ?? '';
      let seen = refusals.get(key);
      if (!seen || at - seen.since >= REFUSAL_WINDOW_MS) {
        if (seen && seen.count > REFUSALS_ITEMISED) record({ caller, method: `(${seen.count - REFUSALS_ITEMISED} more refused requests in that minute)`, outcome: 'unauthorised' });
        if (refusals.size > 10_000) refusals.clear();
        refusals.set(key, (seen = { since: at, count: 0 }));
      }
      if (++seen.count <= REFUSALS_ITEMISED) record({ caller, method: what, outcome: 'unauthorised' });
    },

    /** Every change, whether it worked or not. */
    audit(caller: Caller, method: MethodName, params: unknown, result: unknown, outcome: string): void {
      if (isChange(method)) record({ caller, method, params, result, outcome });
    },

    async createToken(name: string, role: Role, by: Caller): Promise<TokenCreated> {
      const token = TOKEN_PREFIX + randomBytes(32).toString('base64url');
      const row = { name, role, tokenHash: hashToken(token), createdAt: now(), createdBy: by.name, lastUsedAt: null };
      try {
        await store.insertToken(row);
      } catch (error) {
        // SQLite says UNIQUE or PRIMARY KEY; PostgreSQL says unique constraint, code 23505.
        if (/UNIQUE|PRIMARY/i.test((error as Error).message) || (error as { code?: string }).code === '23505')
          throw new ApiError('conflict', `A token named "${name}" already exists; revoke it first or pick another name.`);
        throw error;
      }
      const { tokenHash: _hash, ...summary } = row;
      return { ...summary, token };
    },

    listTokens: async () => store.listTokens(),

    async revokeToken(name: string): Promise<{ revoked: true }> {
      if (!(await store.deleteToken(name))) throw new ApiError('not_found', `No token named "${name}".`);
      touched.delete(name);
      return { revoked: true };
    },

    listAudit: async (beforeId: number | undefined, limit: number) => store.listAudit(beforeId, limit),

    /** Writes out what the store still holds (a queued audit log); the access object is not used afterwards. */
    close: async (): Promise<void> => store.close?.(),
  };
}

export type Access = ReturnType<typeof createAccess>;
