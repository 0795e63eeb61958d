import { randomUUID } from 'node:crypto';
import { test, expect } from './fixtures';
import { api, shoot, standardSignature } from './helpers';

/** A Standard Webhooks (Svix) request into an inbox, as a sender signs it. */
async function svix(url: string, secret: string, body: string, init: { method?: string; path?: string } = {}) {
  const id = 'msg_' + randomUUID();
  const timestamp = String(Math.floor(Date.now() / 1000));
  const res = await fetch(url + (init.path ?? ''), {
    method: init.method ?? 'POST',
    body,
    headers: { 'content-type': 'application/json', 'webhook-id': id, 'webhook-timestamp': timestamp, 'webhook-signature': standardSignature(secret, id, timestamp, body) },
  });
  await res.arrayBuffer();
  return res.status;
}

const overflowing = (page: import('@playwright/test').Page) =>
  page.evaluate(() => [...document.querySelectorAll<HTMLElement>('.main-pane, .list-pane, .card')].filter((el) => el.scrollWidth > el.clientWidth + 1).map((el) => el.className));

test('an inbox is added in the window, its secret shown once; its captures are the Deliveries list and detail, with method and path', async ({ page, serve }) => {
  await page.goto(serve.ui);
  await expect(page.getByText('No packages yet')).toBeVisible();
  await page.keyboard.press('Alt+2');
  await expect(page.getByRole('button', { name: 'Inboxes' })).toHaveAttribute('aria-current', 'page');
  await expect(page.getByText('No inboxes yet')).toBeVisible();

  await page.getByRole('button', { name: 'Add your first inbox' }).click();
  const form = page.getByRole('form', { name: 'Add inbox' });
  await form.getByLabel('Name').fill('svix staging');
  await form.getByLabel('Dialect').selectOption('standard-webhooks');
  await form.getByRole('button', { name: 'Add inbox' }).click();
  const secret = (await page.getByTestId('shown-secret').textContent())!;
  expect(secret).toMatch(/^whsec_/);
  await page.getByRole('button', { name: 'I have copied it' }).click();
  await expect(page.getByTestId('shown-secret')).toHaveCount(0);

  const url = (await page.getByTestId('inbox-url').textContent())!;
  expect(url).toMatch(/\/in\/in_/);
  const list = page.getByRole('list', { name: 'Inboxes' });
  await expect(list).toContainText('svix staging');
  await expect(list).toContainText('standard-webhooks · 0 captures');
  await expect(list.getByRole('button', { name: 'Copy URL' })).toBeVisible();

  expect(await svix(url, secret, '{"type":"invoice.paid","n":1}', { path: '/billing/events?v=2' })).toBe(200);
  expect(await svix(url, secret, '{"type":"invoice.paid","n":2}', { method: 'PUT' })).toBe(200);
  expect(await svix(url, 'whsec_' + Buffer.from('not the secret at all!').toString('base64'), '{"type":"invoice.paid","n":3}')).toBe(200);

  // The list counts them as they come, and the captures are the Deliveries table itself.
  await expect(list).toContainText('3 captures · last');
  const table = page.getByRole('table', { name: 'Deliveries' });
  await expect(table.locator('.drow[data-id]')).toHaveCount(3);
  await expect(table.locator('.drow[data-id="1"]')).toContainText('POST /billing/events?v=2');
  await expect(table.locator('.drow[data-id="2"]')).toContainText('PUT /');
  await expect(table.locator('.drow[data-id="1"]')).toContainText('svix staging');
  await expect(table.locator('.drow[data-id="3"]')).toContainText('invalid');
  await expect(page.getByTestId('delivery-count')).toHaveText('3 captures');

  for (const width of [1400, 800]) {
    await page.setViewportSize({ width, height: 800 });
    expect(await overflowing(page), `inbox at ${width}px`).toEqual([]);
    expect(await page.evaluate(() => document.documentElement.scrollWidth), `page at ${width}px`).toBeLessThanOrEqual(width);
    await shoot(page, `inboxes-${width}`);
  }

  // The same detail as on the Deliveries page: diagnosis of the wrong secret, byte views, replay.
  await table.locator('.drow[data-id="3"]').click();
  await expect(page.getByRole('heading', { name: /Delivery #3/ })).toBeVisible();
  await expect(page.getByTestId('request-line')).toHaveText('POST /');
  await expect(page.getByLabel('Delivery 3')).toContainText('svix staging');
  await expect(page.getByRole('button', { name: 'Replay…' })).toBeVisible();
  await expect(page.getByRole('table', { name: 'Request headers' })).toContainText('webhook-signature');
  for (const width of [1400, 800]) {
    await page.setViewportSize({ width, height: 800 });
    expect(await overflowing(page), `capture at ${width}px`).toEqual([]);
    await shoot(page, `inboxes-capture-${width}`);
  }
  await page.getByRole('button', { name: '← All captures' }).click();
  await expect(table.locator('.drow[data-id]')).toHaveCount(3);

  // Rename and tolerance, kept by the engine.
  const settings = page.getByRole('form', { name: 'Inbox settings' });
  await settings.getByLabel('Name').fill('svix prod');
  await settings.getByLabel('Tolerance (s)').fill('600');
  await settings.getByRole('button', { name: 'Save' }).click();
  await expect(settings.getByRole('status')).toHaveText('Saved');
  await expect(list).toContainText('svix prod');
  const saved = await api<{ name: string; toleranceSeconds: number | null }[]>(serve, 'inboxes.list');
  expect(saved).toMatchObject([{ name: 'svix prod', toleranceSeconds: 600 }]);

  // The Deliveries page lists captures beside package deliveries, and can narrow to the inbox.
  await page.getByRole('button', { name: 'Search and export in Deliveries' }).click();
  await expect(page.getByRole('combobox', { name: 'Received by' })).toHaveValue(/^inbox:in_/);
  await expect(table.locator('.drow[data-id]')).toHaveCount(3);
  await page.getByRole('combobox', { name: 'Received by' }).selectOption('');
  await expect(table.locator('.drow[data-id]')).toHaveCount(3);

  // Removing asks first, then takes its captures with it.
  await page.getByRole('button', { name: 'Inboxes' }).click();
  await page.getByRole('button', { name: 'Remove inbox' }).click();
  await page.getByRole('button', { name: 'Remove with 3 captures?' }).click();
  await expect(page.getByText('No inboxes yet')).toBeVisible();
  expect(await api<unknown[]>(serve, 'deliveries.list', { limit: 10 })).toEqual([]);
});

test('the keyboard help names the Inboxes page and its Alt key, and the top bar fits an 800 px window', async ({ page, serve }) => {
  await page.setViewportSize({ width: 800, height: 700 });
  await page.goto(serve.ui);
  await expect(page.getByText('No packages yet')).toBeVisible();
  await page.keyboard.press('?');
  const help = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
  await expect(help.getByRole('row', { name: 'Alt+2 Inboxes' })).toBeVisible();
  await page.keyboard.press('Escape');
  // Every item of the bar, the theme switch's buttons included, whole and side by side inside the window.
  const clipped = await page.getByRole('navigation', { name: 'Main' }).evaluate((nav) => {
    const items = [...nav.querySelectorAll<HTMLElement>('.brand, .nav-item, .live, .theme-switch button')];
    return items.filter((el) => el.scrollWidth > el.clientWidth + 1 || el.getBoundingClientRect().right > window.innerWidth).map((el) => el.textContent);
  });
  expect(clipped).toEqual([]);
  const boxes = await page.locator('.nav > *').evaluateAll((els) => els.map((el) => el.getBoundingClientRect()).map((r) => ({ left: r.left, right: r.right })));
  for (let i = 1; i < boxes.length; i++) expect(boxes[i]!.left).toBeGreaterThanOrEqual(boxes[i - 1]!.right - 0.5);
});
