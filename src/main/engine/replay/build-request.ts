import { randomUUID } from 'node:crypto';
import { DELIVERY_ID_HEADERS, deliveryIdOf, isHopByHop, SIGNATURE_HEADER } from '../../../shared/header-names';
import { HIDDEN } from '../../../shared/secret-headers';
import { detectDialects, getDialect } from '../dialects';
import { HeaderList } from '../receiver/headers';
import type { Captured } from './captured';

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

/** An editor shows credentials hidden; a header left as shown keeps the value captured. */
function keepHidden(captured: [string, string][], changes: [string, string][]): [string, string][] {
  return changes.map(([k, v]) => {
    if (v !== HIDDEN) return [k, v];
    const original = captured.find(([name]) => name.toLowerCase() === k.toLowerCase());
    return [k, original ? original[1] : v];
  });
}

/**
 * The request a replay sends: exact (the original bytes and headers), re-signed (the
 * original body signed afresh in a dialect), or edited (the user's body and headers,
 * then signed when a dialect and secret are given).
 */
export function buildReplayRequest(captured: Captured, options: BuildOptions): { headers: [string, string][]; body: Buffer; signedAs: string | null } {
  let headers = captured.headers.filter(([k]) => !isHopByHop(k));
  let body = captured.body;
  if (options.mode === 'edit') {
    body = options.body ?? body;
    headers = withHeaders(headers, keepHidden(headers, options.headers ?? []));
  }
  const id = options.newId ? randomUUID() : (deliveryIdOf(headers) ?? randomUUID());
  if (options.newId) headers = headers.map(([k, v]) => [k, DELIVERY_ID_HEADERS.includes(k.toLowerCase()) ? id : v]);
  const sign = options.mode === 'resign' || (options.mode === 'edit' && options.dialect && options.secret);
  if (!sign) return { headers, body, signedAs: null };
  if (!options.dialect || !options.secret) throw new Error('Re-signing needs a dialect and a secret.');
  const dialect = getDialect(options.dialect);
  // Drop every signature the request already carries, whoever made it, then sign afresh.
  const stale = new Set(
    [...detectDialects(new HeaderList(headers)), dialect].flatMap((d) => d.headers.filter((h) => SIGNATURE_HEADER.test(h))).map((h) => h.toLowerCase()),
  );
  const event = captured.event ?? undefined;
  const signed = dialect.sign(body, options.secret, { timestamp: Math.floor((options.now ?? Date.now()) / 1000), id: id.replace(/\./g, '_'), ...(event ? { event } : {}) });
  return { headers: withHeaders(headers.filter(([k]) => !stale.has(k.toLowerCase())), Object.entries(signed.headers)), body, signedAs: dialect.name };
}
