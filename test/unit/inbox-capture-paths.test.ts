import { describe, expect, it } from 'vitest';
import { captureOfUrl } from '../../src/main/engine/replay/import-inbox';
import { withCapturedPath } from '../../src/main/engine/replay/replay-target';

describe('a capture’s path carried on to a replay URL', () => {
  it('goes after the URL’s own path and query, as written', () => {
    expect(withCapturedPath('http://127.0.0.1:3000', '/billing/events?v=2')).toBe('http://127.0.0.1:3000/billing/events?v=2');
    expect(withCapturedPath('http://127.0.0.1:3000/hooks/', '/a%2Fb?x=%20y')).toBe('http://127.0.0.1:3000/hooks/a%2Fb?x=%20y');
    expect(withCapturedPath('http://127.0.0.1:3000/hooks?from=hb', '?only=query')).toBe('http://127.0.0.1:3000/hooks?from=hb&only=query');
    expect(withCapturedPath('http://127.0.0.1:3000/hooks', '/')).toBe('http://127.0.0.1:3000/hooks/');
    expect(withCapturedPath('http://127.0.0.1:3000/hooks', '')).toBe('http://127.0.0.1:3000/hooks');
    expect(withCapturedPath('http://127.0.0.1:3000/hooks', null)).toBe('http://127.0.0.1:3000/hooks');
  });
});

describe('the inbox an exported request names', () => {
  it('is read from the URL’s text, the path after it kept byte for byte', () => {
    expect(captureOfUrl('PROPFIND', 'http://127.0.0.1:7718/in/in_abc-_9/dav/a?x=1&y=%2F')).toEqual({ inboxId: 'in_abc-_9', method: 'PROPFIND', path: '/dav/a?x=1&y=%2F' });
    expect(captureOfUrl('POST', 'https://hooks.example.com/base/in/in_abc')).toEqual({ inboxId: 'in_abc', method: 'POST', path: '' });
    expect(captureOfUrl('GET', 'http://h/in/in_abc?q=/in/in_other')).toEqual({ inboxId: 'in_abc', method: 'GET', path: '?q=/in/in_other' });
    expect(captureOfUrl('POST', 'http://127.0.0.1:7718/hooks/hk_1')).toBeNull();
    expect(captureOfUrl('POST', 'not a url /in/in_abc')).toBeNull();
  });
});
