import { randomBytes } from 'node:crypto';

export const newPackageId = () => 'pkg_' + randomBytes(9).toString('base64url');

/** The hook id is the only thing standing between a stranger and the receiver: make it unguessable. */
export const newHookId = () => 'hk_' + randomBytes(24).toString('base64url');

/** 32 random bytes; GitHub and GitLab get them as hex, GitLab's signing token as `whsec_` + base64. */
export function newHookSecret(): string {
  return randomBytes(32).toString('hex');
}

export function signingTokenFor(secretHex: string): string {
  return 'whsec_' + Buffer.from(secretHex, 'hex').toString('base64');
}
