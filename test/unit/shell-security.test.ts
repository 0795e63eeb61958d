import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { rendererCsp, withSecurityHeaders } from '../../src/main/shell/csp';
import { permissionAllowed } from '../../src/main/shell/permissions';
import { createOwnUrlCheck, externalUrl, isAllowedDownload } from '../../src/main/shell/url-policy';

const rendererFile = join('/opt/Hookbench/resources/app/out/renderer', 'index.html');
const ownFile = pathToFileURL(rendererFile).href;

describe('own-URL check (what the window may show and who may call IPC)', () => {
  const built = createOwnUrlCheck({ rendererFile });
  const dev = createOwnUrlCheck({ devServerUrl: 'http://localhost:5173', rendererFile });

  it('accepts the built index.html, with any hash or query', () => {
    expect(built(ownFile)).toBe(true);
    expect(built(`${ownFile}#/deliveries`)).toBe(true);
    expect(built(`${ownFile}?token=x`)).toBe(true);
  });

  it('refuses other files, look-alike paths, other schemes and junk', () => {
    expect(built(pathToFileURL('/etc/passwd').href)).toBe(false);
    expect(built(pathToFileURL('/opt/Hookbench/resources/app/out/renderer/other.html').href)).toBe(false);
    expect(built(`${ownFile}.evil.html`)).toBe(false);
    expect(built(pathToFileURL('/opt/Hookbench/resources/app/out/renderer/index.html/../../x/index.html').href)).toBe(false);
    expect(built('https://example.com/index.html')).toBe(false);
    expect(built('about:blank')).toBe(false);
    expect(built('not a url')).toBe(false);
    expect(built('')).toBe(false);
  });

  it('in dev, accepts the dev server origin only (a prefix match would not do)', () => {
    expect(dev('http://localhost:5173/')).toBe(true);
    expect(dev('http://localhost:5173/src/main.tsx?t=1#x')).toBe(true);
    expect(dev('http://localhost:5173.evil.test/')).toBe(false);
    expect(dev('http://localhost:51730/')).toBe(false);
    expect(dev('http://user:pw@localhost:5173/')).toBe(false);
    expect(dev('https://localhost:5173/')).toBe(false);
    expect(dev(ownFile)).toBe(false);
  });

  it('rejects a dev server URL that is not a URL', () => {
    expect(() => createOwnUrlCheck({ devServerUrl: 'localhost', rendererFile })).toThrow(/not a URL/);
  });
});

describe('external links', () => {
  it('opens https links only, normalised', () => {
    expect(externalUrl('https://docs.github.com/en/webhooks')).toBe('https://docs.github.com/en/webhooks');
    expect(externalUrl('HTTPS://Example.COM')).toBe('https://example.com/');
  });

  it('refuses every other scheme, credentials in the URL and non-strings', () => {
    for (const url of [
      'http://example.com/',
      'file:///etc/passwd',
      'javascript:alert(1)',
      'data:text/html,<script>alert(1)</script>',
      'smb://host/share',
      'ms-settings:',
      'vscode://x',
      'https://user:secret@example.com/',
      'https://',
      ' https ://x',
      'x'.repeat(5000),
    ]) {
      expect(externalUrl(url), url).toBeNull();
    }
    expect(externalUrl(undefined)).toBeNull();
    expect(externalUrl({ toString: () => 'https://example.com' })).toBeNull();
  });

  it('allows downloads the page made itself (blob:, data:), nothing fetched', () => {
    expect(isAllowedDownload('blob:file:///0f6e1c9a-6b1e-4c71-9d1c-1d4c7b1e5a11')).toBe(true);
    expect(isAllowedDownload('data:application/json,{}')).toBe(true);
    expect(isAllowedDownload('https://example.com/evil.exe')).toBe(false);
    expect(isAllowedDownload('file:///etc/passwd')).toBe(false);
  });
});

describe('permissions', () => {
  const isOwn = createOwnUrlCheck({ rendererFile });

  it('grants clipboard writes to our page and nothing else', () => {
    expect(permissionAllowed('clipboard-sanitized-write', ownFile, isOwn)).toBe(true);
    expect(permissionAllowed('clipboard-sanitized-write', 'https://example.com/', isOwn)).toBe(false);
    expect(permissionAllowed('clipboard-sanitized-write', undefined, isOwn)).toBe(false);
    for (const p of ['media', 'geolocation', 'notifications', 'clipboard-read', 'openExternal', 'hid', 'serial', 'usb', 'fullscreen', 'unknown']) {
      expect(permissionAllowed(p, ownFile, isOwn), p).toBe(false);
    }
  });
});

describe('Content-Security-Policy', () => {
  const directives = (csp: string) => new Map(csp.split('; ').map((d) => [d.split(' ')[0]!, d.split(' ').slice(1)]));

  it('starts from nothing and allows only our own scripts, no eval, no frames, no plugins', () => {
    const d = directives(rendererCsp());
    expect(d.get('default-src')).toEqual(["'none'"]);
    expect(d.get('script-src')).toEqual(["'self'"]);
    expect(d.get('connect-src')).toEqual(["'self'"]);
    expect(d.get('object-src')).toEqual(["'none'"]);
    expect(d.get('frame-src')).toEqual(["'none'"]);
    expect(d.get('frame-ancestors')).toEqual(["'none'"]);
    expect(d.get('base-uri')).toEqual(["'none'"]);
    expect(d.get('form-action')).toEqual(["'none'"]);
    expect(rendererCsp()).not.toMatch(/unsafe-eval|\*|https?:/);
  });

  it('in dev, lets Vite hot reload reach its own websocket and nothing more', () => {
    const d = directives(rendererCsp({ devServerUrl: 'http://localhost:5173' }));
    expect(d.get('connect-src')).toEqual(["'self'", 'ws://localhost:5173']);
    expect(d.get('script-src')).toEqual(["'self'"]);
  });

  it('replaces whatever policy a response carried, in any letter case, and adds nosniff', () => {
    const out = withSecurityHeaders({ 'content-security-policy': ['default-src *'], 'Content-Type': ['text/html'], 'X-Content-Type-Options': 'x' }, 'default-src none');
    expect(out).toEqual({ 'Content-Type': ['text/html'], 'Content-Security-Policy': ['default-src none'], 'X-Content-Type-Options': ['nosniff'] });
    expect(withSecurityHeaders(undefined, 'p')['Content-Security-Policy']).toEqual(['p']);
  });
});
