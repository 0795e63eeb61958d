/**
 * The renderer's Content-Security-Policy, sent as a response header on top of the
 * <meta> tag in src/renderer/index.html (both apply; the header also carries
 * frame-ancestors, which a meta tag cannot). The renderer talks to the engine over
 * IPC, renders payloads as text, and loads nothing from the network.
 */
export function rendererCsp(options: { devServerUrl?: string | undefined } = {}): string {
  const connect = ["'self'"];
  // electron-vite dev: Vite's hot reload talks over a websocket to the dev server.
  if (options.devServerUrl) {
    const dev = new URL(options.devServerUrl);
    connect.push(`${dev.protocol === 'https:' ? 'wss:' : 'ws:'}//${dev.host}`);
  }
  const directives: [string, string[]][] = [
    ['default-src', ["'none'"]],
    ['script-src', ["'self'"]],
    ['style-src', ["'self'", "'unsafe-inline'"]],
    ['img-src', ["'self'", 'data:']],
    ['font-src', ["'self'", 'data:']],
    ['connect-src', connect],
    ['worker-src', ["'none'"]],
    ['frame-src', ["'none'"]],
    ['child-src', ["'none'"]],
    ['object-src', ["'none'"]],
    ['media-src', ["'none'"]],
    ['manifest-src', ["'none'"]],
    ['base-uri', ["'none'"]],
    ['form-action', ["'none'"]],
    ['frame-ancestors', ["'none'"]],
  ];
  return directives.map(([name, values]) => `${name} ${values.join(' ')}`).join('; ');
}

/**
 * Response headers with our policy in place of whatever the response carried
 * (header names compared case-insensitively), plus nosniff.
 */
export function withSecurityHeaders(headers: Record<string, string | string[]> | undefined, csp: string): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    const lower = name.toLowerCase();
    if (lower === 'content-security-policy' || lower === 'content-security-policy-report-only' || lower === 'x-content-type-options') continue;
    out[name] = Array.isArray(value) ? value : [value];
  }
  out['Content-Security-Policy'] = [csp];
  out['X-Content-Type-Options'] = ['nosniff'];
  return out;
}
