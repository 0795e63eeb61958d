// The check both bare servers make: the GitHub signature over the raw body, compared in constant time.
import { createHmac, timingSafeEqual } from 'node:crypto';

export function signatureMatches(secret, body, header) {
  const expected = Buffer.from('sha256=' + createHmac('sha256', secret).update(body).digest('hex'));
  const got = Buffer.from(String(header ?? ''));
  return got.length === expected.length && timingSafeEqual(got, expected);
}
