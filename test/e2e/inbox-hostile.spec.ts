import { randomBytes } from 'node:crypto';
import { request } from 'node:http';
import { connect } from 'node:net';
import { test, expect } from './fixtures';
import { api } from './helpers';

const XSS = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>';

/** A raw request, so the method, the path and the headers go exactly as written. */
function raw(url: string, method: string, path: string, headers: [string, string][], body: Buffer): Promise<number> {
  const target = new URL(url);
  return new Promise((resolve, reject) => {
    const req = request({ host: target.hostname, port: target.port, method, path: target.pathname + path, headers: [['host', target.host], ...headers].flat() }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** Ten thousand headers on one socket: Node's own header limit answers before any route. */
function tenThousandHeaders(url: string): Promise<string> {
  const target = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(target.port), target.hostname, () => {
      const lines = Array.from({ length: 10_000 }, (_, i) => `x-h-${i}: ${i}\r\n`).join('');
      socket.end(`POST ${target.pathname} HTTP/1.1\r\nhost: ${target.host}\r\n${lines}content-length: 0\r\n\r\n`);
    });
    let answer = '';
    socket.on('data', (c: Buffer) => (answer += c.toString('latin1')));
    socket.on('close', () => resolve(answer.split('\r\n')[0] ?? ''));
    socket.on('error', (e) => (answer ? resolve(answer.split('\r\n')[0]!) : reject(e)));
  });
}

test('hostile captures (binary, invalid UTF-8, an 8 KB path, PROPFIND, markup in path and headers) render inertly; 10,000 headers are refused', async ({ page, serve }) => {
  const inbox = await api<{ id: string; url: string }>(serve, 'inboxes.add', { name: 'anything', dialect: 'none' });
  const longPath = '/' + 'a'.repeat(8 * 1024) + '?q=' + 'z'.repeat(10);
  expect(await raw(inbox.url, 'POST', '', [['content-type', 'application/octet-stream']], Buffer.concat([Buffer.from([0, 1, 2, 0xff, 0xfe, 0x1b]), Buffer.from('<script>window.__pwned=5</script>'), randomBytes(2048)]))).toBe(200);
  expect(await raw(inbox.url, 'PUT', '/utf8', [['content-type', 'text/plain; charset=utf-8']], Buffer.from([0x68, 0x69, 0xc3, 0x28, 0xa0, 0xa1, 0xe2, 0x28, 0xa1]))).toBe(200);
  expect(await raw(inbox.url, 'GET', longPath, [], Buffer.alloc(0))).toBe(200);
  expect(await raw(inbox.url, 'PROPFIND', '/dav/folder/', [['content-type', 'application/xml'], ['depth', '1']], Buffer.from('<?xml version="1.0"?><propfind xmlns="DAV:"><allprop/></propfind>'))).toBe(200);
  const markup: [string, string][] = Array.from({ length: 300 }, (_, i) => [`x-h-${i}`, `<b onclick="window.__pwned=6">${i}</b>`]);
  expect(await raw(inbox.url, 'POST', `/<img/src=x/onerror="window.__pwned=7">?a=<script>window.__pwned=8</script>`, [['x-evil', XSS], ...markup], Buffer.from(XSS))).toBe(200);
  expect(await tenThousandHeaders(inbox.url)).toMatch(/^HTTP\/1\.1 431/);
  expect(await api<unknown[]>(serve, 'inboxes.captures', { id: inbox.id, limit: 100 })).toHaveLength(5);

  await page.addInitScript(() => {
    const w = window as unknown as { __added: string[] };
    w.__added = [];
    const observer = new MutationObserver((records) => {
      for (const r of records)
        for (const n of r.addedNodes) {
          if (!(n instanceof Element)) continue;
          for (const el of [n, ...n.querySelectorAll('*')]) {
            if (['IMG', 'SCRIPT', 'IFRAME', 'B'].includes(el.tagName) || [...el.attributes].some((a) => a.name.startsWith('on'))) w.__added.push(el.outerHTML.slice(0, 80));
          }
        }
    });
    document.addEventListener('DOMContentLoaded', () => observer.observe(document, { childList: true, subtree: true }));
  });
  const inert = async () => {
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(await page.evaluate(() => (window as unknown as { __added: string[] }).__added)).toEqual([]);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(page.viewportSize()!.width);
  };

  for (const width of [1400, 800]) {
    await page.setViewportSize({ width, height: 800 });
    await page.goto(serve.ui + '#inboxes');
    const table = page.getByRole('table', { name: 'Deliveries' });
    await expect(table.locator('.drow[data-id]')).toHaveCount(5);
    await expect(table.locator('.drow[data-id="1"]')).toContainText('POST /');
    await expect(table.locator('.drow[data-id="2"]')).toContainText('PUT /utf8');
    await expect(table.locator('.drow[data-id="3"]')).toContainText('GET /aaaa');
    await expect(table.locator('.drow[data-id="4"]')).toContainText('PROPFIND /dav/folder/');
    await expect(table.locator('.drow[data-id="5"]')).toContainText('POST /<img/src=x/onerror="window.__pwned=7">?a=<script>');
    // A list cell carries a slice of an 8 KB path, and says how long the whole is.
    expect((await table.locator('.drow[data-id="3"] .request-line').textContent())!.length).toBeLessThan(500);
    await inert();

    const open = async (id: number) => {
      await table.locator(`.drow[data-id="${id}"]`).click();
      await expect(page.getByRole('heading', { name: new RegExp(`Delivery #${id}`) })).toBeVisible();
    };
    const back = () => page.getByRole('button', { name: '← All captures' }).click();

    await open(1);
    await expect(page.getByRole('tab', { name: 'Hex' })).toHaveAttribute('aria-selected', 'true');
    await expect(page.getByTestId('body')).toContainText('00000000  00 01 02 ff fe 1b 3c 73');
    await inert();
    await back();
    await open(2);
    await page.getByRole('tab', { name: 'Raw' }).click();
    await expect(page.getByTestId('body')).not.toBeEmpty();
    await inert();
    await back();
    await open(3);
    await expect(page.getByTestId('request-line')).toHaveText(`GET ${longPath}`);
    await inert();
    await back();
    await open(4);
    await expect(page.getByTestId('request-line')).toHaveText('PROPFIND /dav/folder/');
    await expect(page.getByTestId('body')).toContainText('<propfind xmlns="DAV:">');
    await inert();
    await back();
    await open(5);
    await expect(page.getByRole('table', { name: 'Request headers' })).toContainText(XSS);
    await expect(page.getByTestId('body')).toContainText('<script>window.__pwned=2</script>');
    for (const view of ['Raw', 'Hex']) {
      await page.getByRole('tab', { name: view }).click();
      await inert();
    }
    if (width === 800) await page.screenshot({ path: test.info().outputPath(`hostile-${width}.png`) });
  }
});
