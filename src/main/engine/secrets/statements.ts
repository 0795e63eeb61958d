import { eq } from 'drizzle-orm';
import type { Queryable } from '../db/open';
import { connections, endpoints, hooks, inboxes, packages } from '../db/schema';

/** Every sealed value in the data dir, and what it belongs to. */
export interface SealedValue {
  owner: 'hook' | 'endpoint' | 'inbox' | 'connection';
  id: string;
  /** secret: the current one; previous: the one being rotated out; token: a connection's. */
  field: 'secret' | 'previous' | 'token';
  sealed: string;
}

export function listSealed(db: Queryable): SealedValue[] {
  const out: SealedValue[] = [];
  for (const h of db.select({ id: hooks.id, secret: hooks.secretSealed, previous: hooks.previousSecretSealed }).from(hooks).all()) {
    out.push({ owner: 'hook', id: h.id, field: 'secret', sealed: h.secret });
    if (h.previous) out.push({ owner: 'hook', id: h.id, field: 'previous', sealed: h.previous });
  }
  for (const e of db.select({ id: endpoints.id, secret: endpoints.secretSealed, previous: endpoints.previousSecretSealed }).from(endpoints).all()) {
    out.push({ owner: 'endpoint', id: e.id, field: 'secret', sealed: e.secret });
    if (e.previous) out.push({ owner: 'endpoint', id: e.id, field: 'previous', sealed: e.previous });
  }
  for (const i of db.select({ id: inboxes.id, secret: inboxes.secretSealed, previous: inboxes.previousSecretSealed }).from(inboxes).all()) {
    // An inbox of dialect "none" checks no signature and has no secret.
    if (i.secret) out.push({ owner: 'inbox', id: i.id, field: 'secret', sealed: i.secret });
    if (i.previous) out.push({ owner: 'inbox', id: i.id, field: 'previous', sealed: i.previous });
  }
  for (const c of db.select({ id: connections.id, token: connections.tokenSealed }).from(connections).all()) {
    out.push({ owner: 'connection', id: c.id, field: 'token', sealed: c.token });
  }
  return out;
}

export function hookOwner(db: Queryable, hookId: string) {
  return db
    .select({
      hookId: hooks.id,
      packageId: packages.id,
      name: packages.name,
      provider: packages.provider,
      repo: packages.repoFullName,
      providerHookId: hooks.providerHookId,
      connectionId: packages.connectionId,
    })
    .from(hooks)
    .innerJoin(packages, eq(packages.id, hooks.packageId))
    .where(eq(hooks.id, hookId))
    .get();
}

export function endpointOwner(db: Queryable, id: string) {
  return db.select({ id: endpoints.id, name: endpoints.name, dialect: endpoints.dialect }).from(endpoints).where(eq(endpoints.id, id)).get();
}

export function replaceHookSecret(db: Queryable, hookId: string, sealed: string, statusReason: string): void {
  db.update(hooks)
    .set({ secretSealed: sealed, previousSecretSealed: null, previousSecretExpiresAt: null, rotationStep: null, rotationError: null, status: 'unregistered', statusReason, verifiedAt: null })
    .where(eq(hooks.id, hookId))
    .run();
}

export function dropPreviousHookSecret(db: Queryable, hookId: string): void {
  db.update(hooks).set({ previousSecretSealed: null, previousSecretExpiresAt: null }).where(eq(hooks.id, hookId)).run();
}

export function replaceEndpointSecret(db: Queryable, id: string, sealed: string): void {
  db.update(endpoints).set({ secretSealed: sealed, previousSecretSealed: null, previousSecretExpiresAt: null, updatedAt: Date.now() }).where(eq(endpoints.id, id)).run();
}

export function dropPreviousEndpointSecret(db: Queryable, id: string): void {
  db.update(endpoints).set({ previousSecretSealed: null, previousSecretExpiresAt: null, updatedAt: Date.now() }).where(eq(endpoints.id, id)).run();
}

export function inboxOwner(db: Queryable, id: string) {
  return db.select({ id: inboxes.id, name: inboxes.name, dialect: inboxes.dialect }).from(inboxes).where(eq(inboxes.id, id)).get();
}

export function replaceInboxSecret(db: Queryable, id: string, sealed: string): void {
  db.update(inboxes).set({ secretSealed: sealed, previousSecretSealed: null, previousSecretExpiresAt: null }).where(eq(inboxes.id, id)).run();
}

export function dropPreviousInboxSecret(db: Queryable, id: string): void {
  db.update(inboxes).set({ previousSecretSealed: null, previousSecretExpiresAt: null }).where(eq(inboxes.id, id)).run();
}

/** Removes a connection; its packages keep their hooks, no longer managed. Returns those packages. */
export function removeConnectionRow(db: Queryable, id: string): string[] {
  const detached = db
    .select({ id: packages.id })
    .from(packages)
    .where(eq(packages.connectionId, id))
    .all()
    .map((p) => p.id);
  db.update(packages).set({ connectionId: null }).where(eq(packages.connectionId, id)).run();
  db.delete(connections).where(eq(connections.id, id)).run();
  return detached;
}
