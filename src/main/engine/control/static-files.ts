import { readFile } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
};

/** A path that is not valid percent-encoding names no file: the request is at fault. */
export class BadPathError extends Error {}

/**
 * The build's assets, kept once read: their names carry their content's hash, so a name always
 * means the same bytes. Kept in memory, a page's scripts and styles are answered at once while
 * the engine is busy reading the page's first screen, instead of waiting on the disk's threads.
 */
const assets = new Map<string, { body: Buffer; type: string }>();
const ASSETS_DIR = `${sep}assets${sep}`;

/** Reads a file below root, refusing anything that escapes it. */
export async function readStatic(root: string, urlPath: string): Promise<{ body: Buffer; type: string } | null> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    throw new BadPathError('The path is not valid percent-encoding.');
  }
  const relative = normalize(decoded).replace(/^([/\\])+/, '');
  const full = join(root, relative || 'index.html');
  if (full !== root && !full.startsWith(root.endsWith(sep) ? root : root + sep)) return null;
  const kept = assets.get(full);
  if (kept) return kept;
  try {
    const file = { body: await readFile(full), type: TYPES[extname(full)] ?? 'application/octet-stream' };
    if (full.includes(ASSETS_DIR)) assets.set(full, file);
    return file;
  } catch {
    return null;
  }
}

export const PLACEHOLDER_PAGE = `<!doctype html><meta charset="utf-8"><title>Hookbench</title>
<body style="font:14px system-ui;margin:2rem"><h1>Hookbench</h1>
<p>The engine is running. The UI bundle was not found; run <code>npm run build</code>.</p>
<p>The control API is at <code>/api/&lt;method&gt;</code>.</p></body>`;
