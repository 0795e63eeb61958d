import { inAny, parseCidr, type Cidr } from './cidr';

/** Who may call the receiver in direct mode, and which proxies may say who the caller was. */
export interface AccessPolicy {
  /** null: anyone who knows a hook URL. */
  allow: Cidr[] | null;
  trustedProxies: Cidr[];
}

export const OPEN_POLICY: AccessPolicy = { allow: null, trustedProxies: [] };

export function policyFrom(allow: string[] | null, trustedProxies: string[]): AccessPolicy {
  return { allow: allow && allow.length ? allow.map(parseCidr) : null, trustedProxies: trustedProxies.map(parseCidr) };
}

/**
 * The caller's address. X-Forwarded-For is believed only when the connection comes
 * from a proxy the user named, and then only up to the first hop that is not one of them:
 * anything further left could have been written by the caller itself.
 */
export function clientAddress(socketAddress: string, forwardedFor: string | undefined, policy: AccessPolicy): string {
  if (!forwardedFor || !inAny(policy.trustedProxies, socketAddress)) return socketAddress;
  const hops = forwardedFor.split(',').map((h) => h.trim()).filter(Boolean);
  for (let i = hops.length - 1; i >= 0; i--) {
    if (!inAny(policy.trustedProxies, hops[i]!)) return hops[i]!;
  }
  return hops[0] ?? socketAddress;
}

export function allowed(policy: AccessPolicy, address: string): boolean {
  return policy.allow === null || inAny(policy.allow, address);
}
