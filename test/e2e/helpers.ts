import { createHmac, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Page } from '@playwright/test';
import type { ServeHandle } from '../helpers/serve-process';
import { SCREENSHOTS } from './fixtures';

export { tagPush } from './fixtures';

/** Calls the control API the way the UI does, with the launch token. For setting up state quickly. */
export async function api<T = unknown>(serve: ServeHandle, method: string, params: unknown = {}): Promise<T> {
  const ui = new URL(serve.ui);
  const res = await fetch(`${ui.origin}/api/${method}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${ui.searchParams.get('token')}`, 'content-type': 'application/json' },
    body: JSON.stringify(params),
  });
  const body = (await res.json()) as { result?: T; error?: { message: string } };
  if (body.error) throw new Error(`${method}: ${body.error.message}`);
  return body.result as T;
}

export async function addPackage(serve: ServeHandle, repo = 'octo/widgets', repoId = '4242') {
  return api<{ id: string; hookUrl: string; secret: string }>(serve, 'packages.add', { provider: 'github', repo, repoId });
}

export function githubHeaders(event: string, body: string | Buffer, secret: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    'content-type': 'application/json',
    'x-github-event': event,
    'x-github-delivery': randomUUID(),
    'x-hub-signature-256': 'sha256=' + createHmac('sha256', secret).update(body).digest('hex'),
    ...extra,
  };
}

export function post(url: string, body: string | Buffer, headers: Record<string, string>) {
  return fetch(url, { method: 'POST', body: typeof body === 'string' ? body : new Uint8Array(body), headers });
}

/** Runs `jobs` with at most `width` in flight. */
export async function inParallel(count: number, width: number, job: (i: number) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < count) await job(next++);
    }),
  );
}

export interface Sunk {
  headers: Record<string, string>;
  body: string;
}

/** A tiny receiving service on loopback: records requests, answers with `status`. */
export async function startSink() {
  const received: Sunk[] = [];
  const state = { status: 200, body: '{"ok":true}' };
  const server = createServer((req: IncomingMessage, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ headers: req.headers as Record<string, string>, body: Buffer.concat(chunks).toString('utf8') });
      res.writeHead(state.status, { 'content-type': 'application/json' });
      res.end(state.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`,
    received,
    answer(status: number, body: string) {
      state.status = status;
      state.body = body;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Saves the screen in the light theme as <name>.png and in the dark theme as <name>-dark.png. */
export async function shoot(page: Page, name: string): Promise<void> {
  // The window follows the OS theme while its switch says "system": wait until it has.
  const scheme = async (colorScheme: 'light' | 'dark') => {
    await page.emulateMedia({ colorScheme });
    await page.locator(`html[data-theme="${colorScheme}"]`).waitFor({ state: 'attached' });
  };
  await scheme('light');
  await page.screenshot({ path: `${SCREENSHOTS}/${name}.png` });
  await scheme('dark');
  await page.screenshot({ path: `${SCREENSHOTS}/${name}-dark.png` });
  await scheme('light');
}

/** The widths every screen is shot at (a small laptop window, a large one). */
export const SHOT_WIDTHS = [800, 1400] as const;
/** The widths nothing may run off the side at. */
export const FIT_WIDTHS = [800, 1024, 1400, 1920] as const;

/**
 * Checks the screen at each width of FIT_WIDTHS: neither the page nor any card is wider than the
 * window (a pre or table that scrolls inside its own box is fine), then puts the size back.
 */
export async function expectFits(page: Page, what: string): Promise<void> {
  const size = page.viewportSize() ?? { width: 1280, height: 800 };
  for (const width of FIT_WIDTHS) {
    await page.setViewportSize({ width, height: size.height });
    const wide = await page.evaluate(() => {
      const doc = document.documentElement;
      const out: string[] = [];
      if (doc.scrollWidth > doc.clientWidth) out.push(`page ${doc.scrollWidth} > ${doc.clientWidth}`);
      for (const el of document.querySelectorAll<HTMLElement>('.card, .detail, .list-pane, .main-pane, .nav')) {
        if (el.scrollWidth > el.clientWidth + 1 && getComputedStyle(el).overflowX !== 'auto') out.push(`${el.className} ${el.scrollWidth} > ${el.clientWidth}`);
      }
      return out;
    });
    if (wide.length) throw new Error(`${what} overflows at ${width} px: ${wide.join('; ')}`);
  }
  await page.setViewportSize(size);
}

/** Shoots the screen at each of SHOT_WIDTHS, light and dark: <name>-800.png, <name>-800-dark.png, … */
export async function shootWidths(page: Page, name: string): Promise<void> {
  const size = page.viewportSize() ?? { width: 1280, height: 800 };
  for (const width of SHOT_WIDTHS) {
    await page.setViewportSize({ width, height: 900 });
    await shoot(page, `${name}-${width}`);
  }
  await page.setViewportSize(size);
}

/** Standard Webhooks: base64 HMAC-SHA256 of "id.timestamp.body" keyed by the whsec_ secret's bytes. */
export function standardSignature(secret: string, id: string, timestamp: string, body: string): string {
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
  return 'v1,' + createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest('base64');
}
