import { describe, expect, it } from 'vitest';
import { allowed, clientAddress, policyFrom } from '../../src/main/engine/receiver/access';
import { cidrContains, parseCidr } from '../../src/main/engine/receiver/cidr';

describe('CIDR ranges', () => {
  it.each([
    ['192.168.1.0/24', '192.168.1.77', true],
    ['192.168.1.0/24', '192.168.2.1', false],
    ['10.0.0.0/8', '::ffff:10.200.3.4', true],
    ['140.82.112.0/20', '140.82.127.255', true],
    ['140.82.112.0/20', '140.82.128.0', false],
    ['2001:db8::/32', '2001:db8:abcd::1', true],
    ['2001:db8::/32', '2001:db9::1', false],
    ['127.0.0.1', '127.0.0.1', true],
  ])('%s contains %s: %s', (range, ip, expected) => {
    expect(cidrContains(parseCidr(range), ip)).toBe(expected);
  });

  it('refuses what is not a range, saying so', () => {
    expect(() => parseCidr('10.0.0.0/33')).toThrow(/prefix outside 0–32/);
    expect(() => parseCidr('github.com')).toThrow(/not an IP address/);
  });
});

describe('who is calling', () => {
  const policy = policyFrom(['140.82.112.0/20'], ['127.0.0.1', '10.0.0.0/8']);

  it('believes X-Forwarded-For only from a named proxy, and only up to the first untrusted hop', () => {
    expect(clientAddress('127.0.0.1', '140.82.112.5', policy)).toBe('140.82.112.5');
    expect(clientAddress('127.0.0.1', '140.82.112.5, 10.1.2.3', policy)).toBe('140.82.112.5');
    // The caller wrote the leftmost entry itself; the proxy appended the real peer.
    expect(clientAddress('127.0.0.1', '140.82.112.5, 203.0.113.9', policy)).toBe('203.0.113.9');
    expect(clientAddress('198.51.100.7', '140.82.112.5', policy)).toBe('198.51.100.7');
  });

  it('lets in only the allowlist when one is set', () => {
    expect(allowed(policy, '140.82.115.1')).toBe(true);
    expect(allowed(policy, '203.0.113.9')).toBe(false);
    expect(allowed(policyFrom(null, []), '203.0.113.9')).toBe(true);
  });
});
