import { createHash, createHmac, createSecretKey, timingSafeEqual, type KeyObject } from 'node:crypto';

/** Byte keys made into key objects once: HMAC setup from raw bytes costs several times the MAC of a 1 KB body. */
const keyObjects = new Map<string, KeyObject>();
const KEY_CACHE_SIZE = 256;

function keyFor(key: string | Buffer): string | Buffer | KeyObject {
  if (typeof key === 'string' || key.length === 0) return key;
  const id = key.toString('base64');
  let object = keyObjects.get(id);
  if (!object) {
    if (keyObjects.size >= KEY_CACHE_SIZE) keyObjects.delete(keyObjects.keys().next().value!);
    object = createSecretKey(key);
    keyObjects.set(id, object);
  }
  return object;
}

export function hmacSha256(key: string | Buffer, ...parts: (string | Buffer)[]): Buffer {
  const mac = createHmac('sha256', keyFor(key));
  for (const part of parts) mac.update(part);
  return mac.digest();
}

/**
 * Constant-time comparison of equal-length values. A length mismatch answers at once:
 * signature lengths are public (fixed by the scheme), so that leaks nothing.
 */
export function safeEqual(received: string, expected: string): boolean {
  const a = Buffer.from(received);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** For values that are secrets themselves (GitLab's token): compares digests, so not even the length shows. */
export function safeEqualSecret(received: string, expected: string): boolean {
  const a = createHash('sha256').update(received).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b) && received.length === expected.length;
}

/** A short, non-reversible stand-in for a secret, so a verdict can say "not this one" without keeping it. */
export function fingerprint(value: string): string {
  return 'sha256:' + createHash('sha256').update(value).digest('hex').slice(0, 12);
}
