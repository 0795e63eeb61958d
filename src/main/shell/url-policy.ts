import { pathToFileURL } from 'node:url';

/**
 * Which URLs the desktop window may show, and which may leave for the OS browser.
 * Plain Node (no electron import) so the rules are unit-tested.
 */

export interface RendererLocation {
  /** The electron-vite dev server (ELECTRON_RENDERER_URL), when running `electron-vite dev`. */
  devServerUrl?: string | undefined;
  /** The built renderer's index.html on disk. */
  rendererFile: string;
}

function parse(url: string): URL | null {
  try {
    return new URL(url);
  } catch {
    return null;
  }
}

/**
 * Our renderer and nothing else: the dev server's exact origin, or the built index.html
 * itself (any query or hash). A prefix test would let `http://localhost:5173.evil.test`
 * or `file:///…/index.html.evil` through; comparing parsed parts does not.
 */
export function createOwnUrlCheck(location: RendererLocation): (url: string) => boolean {
  const dev = location.devServerUrl ? parse(location.devServerUrl) : null;
  if (location.devServerUrl && !dev) throw new Error(`ELECTRON_RENDERER_URL is not a URL: ${location.devServerUrl}`);
  const file = pathToFileURL(location.rendererFile);
  return (url: string) => {
    const u = parse(url);
    if (!u || u.username || u.password) return false;
    if (dev) return (u.protocol === 'http:' || u.protocol === 'https:') && u.origin === dev.origin;
    return u.protocol === 'file:' && u.host === file.host && decodeURIComponent(u.pathname) === decodeURIComponent(file.pathname);
  };
}

/**
 * A link the user may open in the OS browser: https only, no credentials in the URL,
 * a real host name. Returns the normalised URL to hand to the OS, or null.
 */
export function externalUrl(url: unknown): string | null {
  if (typeof url !== 'string' || url.length > 4096) return null;
  const u = parse(url);
  if (!u || u.protocol !== 'https:' || !u.hostname || u.username || u.password) return null;
  return u.href;
}

/**
 * Downloads the renderer starts itself (a blob or data URL made from text it already has,
 * e.g. an export). Anything fetched from elsewhere is refused.
 */
export function isAllowedDownload(url: string): boolean {
  const u = parse(url);
  return u !== null && (u.protocol === 'blob:' || u.protocol === 'data:');
}
