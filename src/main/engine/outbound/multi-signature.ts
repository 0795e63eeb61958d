/**
 * Dialects whose signature header carries one signature per valid secret, so a sender can
 * sign with the old and the new secret while a rotation overlaps. Every other dialect
 * carries one signature: there the new secret signs from the moment of the rotation.
 */
const MULTI_SIGNATURE: Record<string, { header: string; combine: (values: string[]) => string }> = {
  // Space-separated "v1,<base64>" entries.
  'standard-webhooks': { header: 'webhook-signature', combine: (values) => values.join(' ') },
  // "t=<ts>,v1=<hex>" with one more v1= per secret (every copy was signed with the same t).
  stripe: {
    header: 'Stripe-Signature',
    combine: ([first, ...older]) => [first, ...older.map((v) => v.split(',').filter((part) => part.startsWith('v1=')).join(','))].join(','),
  },
};

export const signsWithEverySecret = (dialect: string): boolean => dialect in MULTI_SIGNATURE;

/** One set of headers from the headers each secret produced, newest first. */
export function combineSignatures(dialect: string, signed: Record<string, string>[]): Record<string, string> {
  const [first, ...older] = signed;
  const headers = { ...first };
  const multi = MULTI_SIGNATURE[dialect];
  if (multi && headers[multi.header] !== undefined) headers[multi.header] = multi.combine([headers[multi.header]!, ...older.map((h) => h[multi.header]!)]);
  return headers;
}
