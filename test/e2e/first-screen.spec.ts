import { randomUUID } from 'node:crypto';
import type { Page } from '@playwright/test';
import { test, expect } from './fixtures';
import { api } from './helpers';

const N = 300;
const HOSTILE = '</script><script>window.__ran = 1</script><!--';

/** N deliveries (ids 1..N once imported into an empty data dir); every third a ping, the newest one's event hostile text. */
function bundle(): string {
  const now = Date.now();
  const lines = [JSON.stringify({ format: 'hookbench-bundle', version: 1 })];
  for (let i = 1; i <= N; i++) {
    const event = i === N ? HOSTILE : i % 3 === 0 ? 'ping' : 'push';
    const body = JSON.stringify({ seq: i, note: '</script><b>bold?</b>' });
    lines.push(
      JSON.stringify({
        kind: 'delivery',
        receivedAt: now - (N - i) * 1000,
        event,
        providerDeliveryId: randomUUID(),
        contentType: 'application/json',
        statusCode: 202,
        headers: [['content-type', 'application/json']],
        bodyBase64: Buffer.from(body).toString('base64'),
      }),
    );
  }
  return lines.join('\n') + '\n';
}

/** Records when the list's first row is in the DOM (ms since navigation), from before the page's own scripts run. */
const ROWS_AT = `(() => {
  const seen = new MutationObserver(() => {
    if (!document.querySelector('[role="table"][aria-label="Deliveries"] .drow[data-id]')) return;
    window.__rowsAt = performance.now();
    seen.disconnect();
  });
  seen.observe(document, { subtree: true, childList: true });
})();`;

/** The control API calls the page began before its first rows were in the DOM (the push channel aside). */
async function callsBeforeRows(page: Page): Promise<string[]> {
  await page.waitForFunction(() => typeof (window as { __rowsAt?: number }).__rowsAt === 'number');
  // Every call begun by then has finished once the count is settled.
  await expect(page.getByTestId('delivery-count')).toHaveText(/^[\d,]+ deliveries$/);
  return page.evaluate(() => {
    const rowsAt = (window as { __rowsAt?: number }).__rowsAt!;
    return performance
      .getEntriesByType('resource')
      .filter((e) => new URL(e.name).pathname.startsWith('/api/') && !e.name.includes('/api/events') && e.startTime < rowsAt)
      .map((e) => new URL(e.name).pathname.slice('/api/'.length));
  });
}

test('the first screen paints its rows and count with the page itself, a reload with one call to the engine, and payload text in it stays text', async ({ page, serve }) => {
  await api(serve, 'import.upload', { name: 'many.hookbench.jsonl', contentBase64: Buffer.from(bundle()).toString('base64') });
  await page.addInitScript(ROWS_AT);
  const table = page.getByRole('table', { name: 'Deliveries' });

  // Opened from the printed link: the page carries the first screen, so the rows need no call at all.
  await page.goto(`${serve.ui}#deliveries`);
  expect(await callsBeforeRows(page)).toEqual([]);
  await expect(page.getByTestId('delivery-count')).toHaveText(`${N} deliveries`);
  await expect(table.locator('.drow[data-id]').first()).toHaveAttribute('data-id', String(N));
  // A payload's "</script>" neither ended the data early nor ran: the event reads as sent.
  await expect(table.locator(`.drow[data-id="${N}"]`)).toContainText(HOSTILE);
  expect(await page.evaluate(() => (window as { __ran?: number }).__ran)).toBeUndefined();
  // The token left the address as before; the data was taken from the page.
  expect(page.url()).not.toContain('token=');
  expect(await page.locator('#hookbench-start').count()).toBe(0);

  // Reloaded (the token is in the tab's storage now, not in the address): one call answers the whole first screen.
  await page.reload();
  expect(await callsBeforeRows(page)).toEqual(['window.start']);
  await expect(table.locator('.drow[data-id]').first()).toHaveAttribute('data-id', String(N));
  // The other screens' lists came with it: Packages shows its empty state without a call of its own.
  const later: string[] = [];
  page.on('request', (req) => later.push(new URL(req.url()).pathname));
  await page.getByRole('button', { name: 'Packages' }).click();
  await expect(page.getByText('No packages yet')).toBeVisible();
  expect(later).not.toContain('/api/packages.list');
});

test('a link to a filtered view shows that view, not the whole list the page was sent with', async ({ page, serve }) => {
  await api(serve, 'import.upload', { name: 'many.hookbench.jsonl', contentBase64: Buffer.from(bundle()).toString('base64') });
  await page.addInitScript(ROWS_AT);
  const table = page.getByRole('table', { name: 'Deliveries' });
  await page.goto(`${serve.ui}#deliveries?event=ping`);
  await expect(page.getByTestId('delivery-count')).toHaveText(`${N / 3 - 1} deliveries`);
  await expect(table.locator('.drow[data-id]').first()).toHaveAttribute('data-id', String(N - 3));
  await expect(table.locator('.drow[data-id]').last()).toContainText('ping');
});

test('a page sent without the token, or with a wrong one, carries no data', async ({ serve }) => {
  await api(serve, 'import.upload', { name: 'many.hookbench.jsonl', contentBase64: Buffer.from(bundle()).toString('base64') });
  const origin = new URL(serve.ui).origin;
  for (const url of [`${origin}/`, `${origin}/?token=wrong`]) {
    const html = await (await fetch(url)).text();
    expect(html).not.toContain('hookbench-start');
    expect(html).not.toContain('"deliveries"');
  }
  const html = await (await fetch(serve.ui)).text();
  expect(html).toContain('<script type="application/json" id="hookbench-start">');
  // Nothing in the data can end its element: every "<" is escaped.
  const from = html.indexOf('id="hookbench-start">') + 'id="hookbench-start">'.length;
  const data = html.slice(from, html.indexOf('</script>', from));
  expect(data).not.toContain('<');
  expect((JSON.parse(data) as { deliveries: { event: string }[] }).deliveries[0]!.event).toBe(HOSTILE);
});

test('the first rows paint from the page alone, styled, before the app has run, in the theme the user chose, and only on the page they belong to', async ({ page, serve }) => {
  await api(serve, 'import.upload', { name: 'many.hookbench.jsonl', contentBase64: Buffer.from(bundle()).toString('base64') });
  // Nothing but the page arrives (no script, no stylesheet): what shows is what came in it.
  const fetched: string[] = [];
  await page.route(/\/(assets\/.*|first-paint\.js)$/, (route) => {
    fetched.push(new URL(route.request().url()).pathname);
    return route.abort();
  });
  await page.addInitScript(() => localStorage.setItem('hookbench.theme', 'dark'));
  const table = page.getByRole('table', { name: 'Deliveries' });
  await page.goto(`${serve.ui}#deliveries`);
  await expect(table.locator('.drow[data-id]').first()).toHaveAttribute('data-id', String(N));
  // Laid out by the app's own stylesheet: fixed-height rows in a grid.
  const row = table.locator(`.drow[data-id="${N}"]`);
  expect(await row.evaluate((el) => [getComputedStyle(el).display, el.getBoundingClientRect().height])).toEqual(['grid', 28]);
  expect(fetched.filter((path) => path.endsWith('.css'))).toEqual([]);
  await expect(table.locator(`.drow[data-id="${N}"]`)).toContainText(HOSTILE);
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  expect(await page.evaluate(() => (window as { __ran?: number }).__ran)).toBeUndefined();
  // The Deliveries rows are not shown on another page, nor for a filtered view (the server never sees the filter).
  for (const hash of ['#packages', '#deliveries?event=ping', '']) {
    // A fresh load each time (from the same address with another fragment, the browser would only scroll).
    await page.goto('about:blank');
    await page.goto(`${serve.ui}${hash}`);
    await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
    expect(await table.count(), hash).toBe(0);
  }
});

test('the app takes the prerendered rows over: they answer the keyboard and open a delivery', async ({ page, serve }) => {
  await api(serve, 'import.upload', { name: 'many.hookbench.jsonl', contentBase64: Buffer.from(bundle()).toString('base64') });
  await page.goto(`${serve.ui}#deliveries`);
  const table = page.getByRole('table', { name: 'Deliveries' });
  await expect(page.getByTestId('delivery-count')).toHaveText(`${N} deliveries`);
  await table.locator(`.drow[data-id="${N - 1}"]`).click();
  await expect(page.getByRole('heading', { name: `Delivery #${N - 1}` })).toBeVisible();
  // One list, not the prerendered copy beside the app's.
  await expect(page.locator('[role="table"][aria-label="Deliveries"]')).toHaveCount(1);
});
