/** Header facts the engine and the renderer both rely on when a request is sent again. */

/** The connection's, not the message's: never relayed or replayed. */
export const HOP_BY_HOP_HEADERS: ReadonlySet<string> = new Set(['host', 'content-length', 'connection', 'transfer-encoding', 'keep-alive', 'te', 'upgrade', 'expect']);

/** Headers that carry a provider's delivery id: what "keep the id" or "mint a new one" is about. */
export const DELIVERY_ID_HEADERS: readonly string[] = ['x-github-delivery', 'idempotency-key', 'x-gitlab-event-uuid', 'webhook-id', 'svix-id', 'x-gitea-delivery'];

/** Header names a signature lives in, or that a signature covers (its timestamp). */
export const SIGNATURE_HEADER = /sig|token|hmac|timestamp/i;

export const isHopByHop = (name: string) => HOP_BY_HOP_HEADERS.has(name.toLowerCase());

/** The delivery id a request carries, if any. */
export const deliveryIdOf = (headers: readonly (readonly [string, string])[]): string | null =>
  headers.find(([k]) => DELIVERY_ID_HEADERS.includes(k.toLowerCase()))?.[1] ?? null;
