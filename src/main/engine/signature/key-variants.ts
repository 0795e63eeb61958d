import { hmacSha256 } from './hmac';

/** Ways a secret string is commonly turned into HMAC key bytes. */
export function keyVariants(secret: string): { name: string; key: Buffer }[] {
  const out: { name: string; key: Buffer }[] = [];
  const add = (name: string, key: Buffer) => {
    if (key.length > 0 && !out.some((k) => k.key.equals(key))) out.push({ name, key });
  };
  add('the secret as raw text', Buffer.from(secret, 'utf8'));
  const bare = secret.startsWith('whsec_') ? secret.slice(6) : secret;
  if (bare !== secret) add('the secret without its "whsec_" prefix, as raw text', Buffer.from(bare, 'utf8'));
  if (/^[A-Za-z0-9+/]+={0,2}$/.test(bare)) add('the secret base64-decoded', Buffer.from(bare, 'base64'));
  if (/^[A-Za-z0-9_-]+={0,2}$/.test(bare)) add('the secret base64url-decoded', Buffer.from(bare, 'base64url'));
  if (/^([0-9a-fA-F]{2})+$/.test(bare)) add('the secret hex-decoded', Buffer.from(bare, 'hex'));
  return out;
}

export type MacEncoding = 'hex' | 'base64' | 'base64url';

export const MAC_ENCODINGS: MacEncoding[] = ['hex', 'base64', 'base64url'];

export function mac(key: Buffer, data: Buffer, encoding: MacEncoding): string {
  return hmacSha256(key, data).toString(encoding);
}

/** The bare MAC values inside a signature header: prefixes such as `sha256=`, `v1,`, `t=…,v1=` taken off. */
export function signatureCores(value: string): string[] {
  return value
    .split(/[\s,]+/)
    .map((part) => part.replace(/^(sha256=|sha1=|v\d+=|v\d+,|v\d+)/, ''))
    .filter((part) => part.length >= 16 && !/^t=/.test(part));
}

export function encodingOf(core: string): MacEncoding {
  if (/^[0-9a-f]+$/.test(core)) return 'hex';
  return /[-_]/.test(core) ? 'base64url' : 'base64';
}
