import { describe, expect, it } from 'vitest';
import { forwardHeaders, forwardUrl, rewritePath } from '../../src/main/engine/inbox/forward/request';

describe('where a forwarded capture goes', () => {
  it('rewrites whole path segments only', () => {
    expect(rewritePath('/stripe/events', '/stripe=>/api/webhooks')).toBe('/api/webhooks/events');
    expect(rewritePath('/stripe', '/stripe=>/api')).toBe('/api');
    expect(rewritePath('/stripes', '/stripe=>/api')).toBe('/stripes');
    expect(rewritePath('/shop/orders', '/shop=>/')).toBe('/orders');
    expect(rewritePath('/a', '/=>/b')).toBe('/b/a');
    expect(rewritePath('/a', null)).toBe('/a');
  });

  it('appends the captured path to the target’s, then the target’s query and the captured one', () => {
    expect(forwardUrl('http://localhost:3000', '', null)).toBe('http://localhost:3000/');
    expect(forwardUrl('http://localhost:3000/webhooks', '', null)).toBe('http://localhost:3000/webhooks');
    expect(forwardUrl('http://localhost:3000/webhooks/', '/stripe?x=1&x=2', null)).toBe('http://localhost:3000/webhooks/stripe?x=1&x=2');
    expect(forwardUrl('http://localhost:3000/w?token=t', '?live=0', null)).toBe('http://localhost:3000/w?token=t&live=0');
    expect(forwardUrl('http://localhost:3000', '/in/%2F..?a=%20', null)).toBe('http://localhost:3000/in/%2F..?a=%20');
  });

  it('drops the connection’s headers, and those Connection names, keeping the rest in order with repeats', () => {
    const headers: [string, string][] = [
      ['Host', 'hookbench:7718'],
      ['X-A', '1'],
      ['Connection', 'keep-alive, X-Private'],
      ['X-Private', 'p'],
      ['Transfer-Encoding', 'chunked'],
      ['X-A', '2'],
      ['Content-Length', '10'],
      ['x-hookbench-reconstruction', 'compact JSON'],
    ];
    expect(forwardHeaders(headers)).toEqual([
      ['X-A', '1'],
      ['X-A', '2'],
    ]);
  });
});
