import { describe, expect, it } from 'vitest';
import { HIDDEN, isSecretHeader, maskHeaders, maskUrl, restoreMaskedUrl, SEALED_PREFIX } from '../../src/shared/secret-headers';

describe('which headers are credentials', () => {
  it.each(['X-Gitlab-Token', 'authorization', 'Proxy-Authorization', 'Cookie', 'Set-Cookie', 'X-Api-Key', 'x-auth-token', 'X-Webhook-Secret', 'X-Session-Id'])('%s is hidden', (name) => {
    expect(isSecretHeader(name)).toBe(true);
  });

  it.each(['X-Hub-Signature-256', 'webhook-signature', 'Idempotency-Key', 'X-Gitlab-Event-UUID', 'Content-Type', 'X-GitHub-Delivery', 'WWW-Authenticate', 'webhook-timestamp'])('%s is shown', (name) => {
    expect(isSecretHeader(name)).toBe(false);
  });

  it('hides a sealed value whatever its name', () => {
    expect(maskHeaders([['X-Custom', `${SEALED_PREFIX}aesgcm1:abc`], ['A', 'b']])).toEqual([['X-Custom', HIDDEN], ['A', 'b']]);
  });
});

describe('URLs with credentials', () => {
  it.each([
    ['https://user:pw@host.example/x?y=1', `https://user:${HIDDEN}@host.example/x?y=1`],
    ['https://ghp_abc@host.example/', `https://${HIDDEN}@host.example/`],
    ['http://h/hook?token=abc&key=k&secret=s&access_token=t&sig=z&x=1#frag', `http://h/hook?token=${HIDDEN}&key=${HIDDEN}&secret=${HIDDEN}&access_token=${HIDDEN}&sig=${HIDDEN}&x=1#frag`],
    ['http://127.0.0.1:9000/webhook', 'http://127.0.0.1:9000/webhook'],
    ['not a url', 'not a url'],
  ])('%s shows as %s', (url, shown) => {
    expect(maskUrl(url)).toBe(shown);
  });

  it('gets its credentials back when a masked URL is saved, also with another part edited', () => {
    const original = 'https://user:pw@host.example/x?token=abc&y=1';
    expect(restoreMaskedUrl(maskUrl(original), original)).toBe(original);
    expect(restoreMaskedUrl(`https://user:${HIDDEN}@host.example/new?token=${HIDDEN}&y=2`, original)).toBe('https://user:pw@host.example/new?token=abc&y=2');
    expect(restoreMaskedUrl('https://other.example/', original)).toBe('https://other.example/');
  });
});
