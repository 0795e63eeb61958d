import { describe, expect, it } from 'vitest';
import { resolveLimits, serverOptionsFor } from '../../src/main/engine/receiver/limits';
import { openFileLimit } from '../../src/main/engine/receiver/open-file-limit';

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
