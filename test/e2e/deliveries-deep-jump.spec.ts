import { randomUUID } from 'node:crypto';
import { test, expect } from './fixtures';
import { api } from './helpers';

const WIDTHS = [800, 1400];
const N = 6000;

/** A bundle of N small deliveries, ids 1..N once imported into an empty data dir. */
function bundle(): string {
  const now = Date.now();
  const lines = [JSON.stringify({ format: 'hookbench-bundle', version: 1 })];
  for (let i = 1; i <= N; i++) {
    const event = i % 3 === 0 ? 'ping' : 'push';
    lines.push(
      JSON.stringify({
        kind: 'delivery',
        receivedAt: now - (N - i) * 1000,
        event,
        providerDeliveryId: randomUUID(),
        contentType: 'application/json',
        statusCode: 202,
        headers: [
          ['content-type', 'application/json'],
          ['x-github-event', event],
        ],
        bodyBase64: Buffer.from(JSON.stringify({ seq: i })).toString('base64'),
      }),
    );
  }
  return lines.join('\n') + '\n';
}

for (const width of WIDTHS) {
  test(`at ${width} px the count is estimated until the engine has counted, and a jump deep into a long list fills the rows where it lands without paging down to them`, async ({ page, serve }) => {
    await api(serve, 'import.upload', { name: 'many.hookbench.jsonl', contentBase64: Buffer.from(bundle()).toString('base64') });
    const lists: { offset?: number; beforeId?: number }[] = [];
    page.on('request', (req) => {
      if (req.url().endsWith('/api/deliveries.list')) lists.push(JSON.parse(req.postData() ?? '{}') as { offset?: number });
    });
    // The whole list's count comes with the first rows (a total the engine keeps); a filter's count reads rows and comes
    // aside. Here it is held back (as such a count of a big store takes a while): the header estimates meanwhile.
    // "p" is in every event name (push, ping), so the view is every delivery.
    let release = () => {};
    const released = new Promise<void>((resolve) => (release = resolve));
    await page.route('**/api/deliveries.count', async (route) => {
      await released;
      await route.continue();
    });
    await page.setViewportSize({ width, height: 900 });
    await page.goto(`${serve.ui}#deliveries?event=p`);
    const table = page.getByRole('table', { name: 'Deliveries' });
    await expect(page.getByTestId('delivery-count')).toHaveText(`about ${N.toLocaleString('en-US')} deliveries`);
    release();
    await expect(page.getByTestId('delivery-count')).toHaveText(`${N.toLocaleString('en-US')} deliveries`);
    await expect(table.locator('.drow[data-id]').first()).toHaveAttribute('data-id', String(N));

    // Dragged to near the end: the rows there are the right ones, fetched by position.
    const before = lists.length;
    await table.evaluate((el) => (el.scrollTop = el.scrollHeight - el.clientHeight - 28 * 10));
    await expect(table.locator('.drow[data-id]').last()).toHaveAttribute('data-id', /^\d{1,2}$/);
    await expect(table.locator('.drow.placeholder')).toHaveCount(0);
    const ids = (await table.locator('.drow[data-id]').evaluateAll((rows) => rows.map((r) => [Number(r.getAttribute('aria-rowindex')), Number(r.getAttribute('data-id'))])));
    // Row k (aria-rowindex k + 1, the header is 1) of a newest-first list of ids N..1 is delivery N - k + 1.
    for (const [rowIndex, id] of ids) expect(id).toBe(N - (rowIndex! - 2));
    expect(ids.at(-1)![1]).toBeLessThan(50);
    const asked = lists.slice(before);
    expect(asked.some((p) => (p.offset ?? 0) > N - 200)).toBe(true);
    // Not dozens of pages on the way down.
    expect(asked.length).toBeLessThan(5);

    // A filter narrows the list; a jump in it lands on its own rows.
    await page.getByLabel('Event').fill('ping');
    await page.getByLabel('Event').press('Enter');
    await expect(page.getByTestId('delivery-count')).toHaveText(`${(N / 3).toLocaleString('en-US')} deliveries`);
    await table.evaluate((el) => (el.scrollTop = el.scrollHeight));
    await expect(table.locator('.drow.placeholder')).toHaveCount(0);
    await expect(table.locator('.drow[data-id]').last()).toHaveAttribute('data-id', '3');
    // An open row deep down opens like any other.
    await table.locator('.drow[data-id="3"]').click();
    await expect(page.getByRole('heading', { name: 'Delivery #3' })).toBeVisible();
  });
}
