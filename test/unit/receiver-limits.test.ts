import { describe, expect, it } from 'vitest';
import { resolveLimits, serverOptionsFor } from '../../src/main/engine/receiver/limits';
import { openFileLimit } from '../../src/main/engine/receiver/open-file-limit';
import { createRejectionThrottle, describeThrottle } from '../../src/main/engine/receiver/rejection-throttle';

const LIMITS = (soft: string) => `Limit                     Soft Limit           Hard Limit           Units\nMax open files            ${soft}                20000                files\n`;

describe('receiver limits', () => {
  it('reads the soft open-file limit, and keeps the connection cap below it', () => {
    expect(openFileLimit(() => LIMITS('1024'))).toBe(1024);
    expect(openFileLimit(() => LIMITS('unlimited'))).toBe(Infinity);
    expect(openFileLimit(() => { throw new Error('no /proc'); })).toBeNull();
    expect(resolveLimits({}, 1024).maxConnections).toBe(768);
    expect(resolveLimits({ maxConnections: 100 }, 20000).maxConnections).toBe(100);
    expect(resolveLimits({}, null).maxConnections).toBe(4096);
    expect(resolveLimits({ maxConnectionsPerAddress: 500 }, 300).maxConnectionsPerAddress).toBe(44);
  });

  it('checks for overdue connections often enough to cut them within a second of their timeout', () => {
    expect(serverOptionsFor(resolveLimits({}, null)).connectionsCheckingInterval).toBe(1000);
    expect(serverOptionsFor(resolveLimits({ headersTimeoutMs: 1000 }, null)).connectionsCheckingInterval).toBe(250);
  });
});

describe('rejection throttle', () => {
  it('answers an address 429 once it has had its refusals, until its window ends, and sums up what it turned away', () => {
    let now = 0;
    const throttle = createRejectionThrottle({ perWindow: 2, windowMs: 60_000, now: () => now });
    throttle.rejected('203.0.113.7');
    expect(throttle.blockedFor('203.0.113.7')).toBe(0);
    throttle.rejected('203.0.113.7');
    now = 10_000;
    expect(throttle.blockedFor('203.0.113.7')).toBe(50_000);
    expect(throttle.blockedFor('198.51.100.1')).toBe(0);
    const summary = throttle.takeSummary()!;
    expect(describeThrottle(summary, 2, 60_000)).toMatch(/^Answered 1 request 429 without reading it: 203\.0\.113\.7 \(1\) had 2 requests refused within 60 s/);
    expect(throttle.takeSummary()).toBeNull();
    now = 60_000;
    expect(throttle.blockedFor('203.0.113.7')).toBe(0);
  });
});
