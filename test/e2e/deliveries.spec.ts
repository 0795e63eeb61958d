import { test, expect } from './fixtures';
import { addPackage, githubHeaders, inParallel, post } from './helpers';

const N = 5000;
const REJECTED = N / 10;
const n = (count: number) => count.toLocaleString('en-US');

function body(i: number): string {
  return JSON.stringify({ zen: 'Keep it logically awesome.', hook_id: 1, seq: i, marker: `needle-${i}`, repository: { id: 4242, full_name: 'octo/widgets' } });
}

/** Every 10th has a wrong signature (rejected), every 3rd is an event Hookbench ignores, the rest are pings. */
async function deliver(hookUrl: string, secret: string, i: number): Promise<void> {
  const text = body(i);
  const event = i % 10 === 0 ? 'ping' : i % 3 === 0 ? 'issues' : 'ping';
  const res = await post(hookUrl, text, githubHeaders(event, text, i % 10 === 0 ? 'not the secret' : secret));
  await res.arrayBuffer();
}

test('thousands of deliveries stream in live, scroll in a windowed list, filter and open from the keyboard', async ({ page, serve }) => {
  test.setTimeout(180_000);
  const pkg = await addPackage(serve);
  await page.goto(serve.ui);
  await expect(page.getByRole('list', { name: 'Packages' })).toContainText('octo/widgets');
  await page.keyboard.press('Alt+3');
  await expect(page.getByText('No deliveries yet')).toBeVisible();

  await inParallel(N, 48, (i) => deliver(pkg.hookUrl, pkg.secret, i));

  const count = page.getByTestId('delivery-count');
  await expect(count).toHaveText(`${n(N)} deliveries`, { timeout: 60_000 });
  const table = page.getByRole('table', { name: 'Deliveries' });
  const rows = table.locator('.drow[data-id]');
  // Windowed: a screenful of rows exists in the DOM, not three thousand.
  await expect(rows.first()).toBeVisible();
  expect(await rows.count()).toBeLessThan(80);
  expect(Number(await rows.first().getAttribute('data-id'))).toBe(N);

  // Scroll to the very end: older pages load as they come into view.
  await table.evaluate((el) => (el.scrollTop = el.scrollHeight));
  await expect(table.locator('.drow[data-id="1"]')).toBeVisible({ timeout: 20_000 });
  expect(await rows.count()).toBeLessThan(80);
  await table.evaluate((el) => (el.scrollTop = 0));
  await expect(table.locator(`.drow[data-id="${N}"]`)).toBeVisible();

  // Keyboard: j moves the cursor, Enter opens, Esc closes.
  await page.keyboard.press('j');
  await page.keyboard.press('j');
  await page.keyboard.press('j');
  await page.keyboard.press('k');
  await expect(table.locator('.drow.cursor')).toHaveAttribute('data-id', String(N - 1));
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { name: `Delivery #${N - 1}` })).toBeVisible();
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { name: `Delivery #${N - 2}` })).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(page.getByText('Pick a delivery')).toBeVisible();

  // "/" jumps to the search box; the search is debounced and reaches headers and bodies.
  await page.keyboard.press('/');
  await expect(page.getByLabel('Search deliveries')).toBeFocused();
  await page.keyboard.type('needle-1234');
  await expect(count).toHaveText('1 delivery');
  await expect(rows).toHaveCount(1);
  await rows.first().click();
  await expect(page.getByTestId('body')).toContainText('"marker": "needle-1234"');
  await page.getByRole('button', { name: 'Clear', exact: true }).click();
  await expect(count).toHaveText(`${n(N)} deliveries`);

  // Outcome filter; then live deliveries join the filtered list only when they match.
  await page.getByLabel('Outcome').selectOption('rejected');
  await expect(count).toHaveText(`${n(REJECTED)} deliveries`);
  // The outcome badge; the reason follows it in the same cell.
  for (const text of await rows.locator('[role=cell]:last-child .badge').allTextContents()) expect(text).toBe('rejected');
  for (const text of await rows.locator('.outcome-reason').allTextContents()) expect(text).toMatch(/^Signature invalid/);
  await deliver(pkg.hookUrl, pkg.secret, N); // N % 10 === 0: rejected
  await deliver(pkg.hookUrl, pkg.secret, N + 1); // a valid ping
  await expect(count).toHaveText(`${n(REJECTED + 1)} deliveries`);
  await expect(rows.first()).toHaveAttribute('data-id', String(N + 1));
  await expect(table.locator(`.drow[data-id="${N + 2}"]`)).toHaveCount(0);

  await page.getByRole('combobox', { name: 'Signature' }).selectOption('valid');
  await expect(page.getByText('No deliveries match these filters')).toBeVisible();
  await page.getByRole('button', { name: 'Clear filters' }).click();
  await expect(count).toHaveText(`${n(N + 2)} deliveries`);

  // A time range that ends before anything arrived matches nothing.
  await page.getByLabel('Time range').selectOption('custom');
  await page.getByLabel('Until').fill('2020-01-01T00:00');
  await expect(count).toHaveText('0 deliveries');
  await page.getByLabel('Time range').selectOption('15m');
  await expect(count).toHaveText(`${n(N + 2)} deliveries`);
  // The push channel stayed up through all of it.
  await expect(page.getByRole('navigation', { name: 'Main' }).getByText('live', { exact: true })).toBeVisible();
});
