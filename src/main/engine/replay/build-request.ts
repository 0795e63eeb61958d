import { randomUUID } from 'node:crypto';
import { detectDialects, getDialect } from '../dialects';
import { HeaderList } from '../receiver/headers';
import type { Captured } from './captured';

/** Headers that carry a provider's delivery id: what "keep the id" or "new id" is about. */
export const DELIVERY_ID_HEADERS = ['x-github-delivery', 'idempotency-key', 'x-gitlab-event-uuid', 'webhook-id', 'svix-id', 'x-gitea-delivery'];
/** The connection's, not the message's. */
const HOP_BY_HOP = new Set(['host', 'content-length', 'connection', 'transfer-encoding', 'keep-alive', 'te', 'upgrade', 'expect']);

export interface BuildOptions {
  mode: 'exact' | 'resign' | 'edit';
  dialect?: string | undefined;
  secret?: string | undefined;
  newId?: boolean | undefined;
  body?: Buffer | undefined;
  headers?: [string, string][] | undefined;
  now?: number;
}

function withHeaders(base: [string, string][], changes: [string, string][]): [string, string][] {
  const names = new Set(changes.map(([k]) => k.toLowerCase()));
  return [...base.filter(([k]) => !names.has(k.toLowerCase())), ...changes.filter(([, v]) => v !== '')];
}

/** The id the original carried, so a re-signed copy can keep it. */
function originalId(headers: [string, string][]): string | undefined {
  return headers.find(([k]) => DELIVERY_ID_HEADERS.includes(k.toLowerCase()))?.[1];
}

/**
 * The request a replay sends: exact (the original bytes and headers), re-signed (the
 * original body signed afresh in a dialect), or edited (the user's body and headers,
 * then signed when a dialect and secret are given).
 */
export function buildReplayRequest(captured: Captured, options: BuildOptions): { headers: [string, string][]; body: Buffer } {
  let headers = captured.headers.filter(([k]) => !HOP_BY_HOP.has(k.toLowerCase()));
  let body = captured.body;
  if (options.mode === 'edit') {
    body = options.body ?? body;
    headers = withHeaders(headers, options.headers ?? []);
  }
  const id = options.newId ? randomUUID() : (originalId(headers) ?? randomUUID());
  if (options.newId) headers = headers.map(([k, v]) => [k, DELIVERY_ID_HEADERS.includes(k.toLowerCase()) ? id : v]);
  const sign = options.mode === 'resign' || (options.mode === 'edit' && options.dialect && options.secret);
  if (!sign) return { headers, body };
  if (!options.dialect || !options.secret) throw new Error('Re-signing needs a dialect and a secret.');
  const dialect = getDialect(options.dialect);
  // Drop every signature the request already carries, whoever made it, then sign afresh.
  const stale = new Set(
    [...detectDialects(new HeaderList(headers)), dialect].flatMap((d) => d.headers.filter((h) => /sig|token|hmac|timestamp/i.test(h))).map((h) => h.toLowerCase()),
  );
  const event = captured.event ?? undefined;
  const signed = dialect.sign(body, options.secret, { timestamp: Math.floor((options.now ?? Date.now()) / 1000), id: id.replace(/\./g, '_'), ...(event ? { event } : {}) });
  return { headers: withHeaders(headers.filter(([k]) => !stale.has(k.toLowerCase())), Object.entries(signed.headers)), body };
}
