import type { Dialect } from '../dialects';
import type { HeaderList } from '../receiver/headers';

/** A stand-in key: which key signs does not change what is signed. GitLab signs only with a `whsec_` token. */
const PROBE_SIGNING_TOKEN = 'whsec_' + Buffer.alloc(32).toString('base64');

/** The signed timestamp as it travels, read from the dialect's header (Stripe's `t=` inside its signature header). */
export function timestampOf(d: Dialect, headers: HeaderList): string | null {
  const rule = d.timestamp;
  if (!rule) return null;
  const [name, inner] = rule.header.split(' ');
  const value = headers.get(name!) ?? '';
  if (!inner) return value || null;
  return value.split(',').find((p) => p.startsWith(inner))?.slice(inner.length) ?? null;
}

function probeSecret(d: Dialect, headers: HeaderList): string {
  return d.name === 'gitlab' && headers.get('webhook-signature') !== undefined ? PROBE_SIGNING_TOKEN : d.generateSecret();
}

/**
 * The exact bytes the dialect signs for this request, rebuilt from its own headers: the
 * timestamp and id as sent, text for text, whatever their form.
 */
export function signedBytesFor(d: Dialect, headers: HeaderList, body: Buffer): Buffer {
  const raw = timestampOf(d, headers);
  const seconds = raw !== null && /^\d+$/.test(raw) ? Number(raw) : 0;
  const id = headers.get('webhook-id') ?? headers.get('svix-id') ?? 'msg';
  try {
    return d.sign(body, probeSecret(d, headers), { timestamp: seconds, id, ...(raw !== null ? { timestampText: raw } : {}) }).signedBytes;
  } catch {
    // An id the dialect refuses to sign (Standard Webhooks: one with "."): verification says so; show the body.
    return body;
  }
}

/** The signature header value the dialect would send for these bytes under this secret, timestamp text as given. */
export function signatureUnder(d: Dialect, headers: HeaderList, body: Buffer, secret: string, header: string): string | null {
  const raw = timestampOf(d, headers);
  const id = headers.get('webhook-id') ?? headers.get('svix-id') ?? 'msg';
  try {
    const signed = d.sign(body, secret, { timestamp: 0, id, ...(raw !== null ? { timestampText: raw } : {}) });
    const names = Object.keys(signed.headers);
    // Svix's svix-* headers carry what the dialect writes as webhook-*.
    const name = names.find((k) => k.toLowerCase() === header.toLowerCase()) ?? names.find((k) => /signature/i.test(k));
    return name ? signed.headers[name]! : null;
  } catch {
    return null;
  }
}
