import { test, expect } from './fixtures';
import { addPackage, githubHeaders, post, tagPush } from './helpers';

const WIDTHS = [800, 1400];

for (const width of WIDTHS) {
  test(`at ${width} px the Deliveries filters and the open delivery live in the address: reload, bookmark, share`, async ({ page, browser, serve }) => {
    const pkg = await addPackage(serve);
    const good = tagPush(4242, 'v1.0.0');
    expect((await post(pkg.hookUrl, good, githubHeaders('push', good, pkg.secret))).status).toBe(202);
    const forged = tagPush(4242, 'v6.6.6');
    expect((await post(pkg.hookUrl, forged, githubHeaders('push', forged, 'not the secret'))).status).toBe(403);
    const ping = JSON.stringify({ zen: 'Keep it logically awesome.', hook_id: 1, repository: { id: 4242 } });
    await post(pkg.hookUrl, ping, githubHeaders('ping', ping, pkg.secret));

    await page.setViewportSize({ width, height: 900 });
    await page.goto(serve.ui);
    await page.getByRole('button', { name: 'Deliveries' }).click();
    const table = page.getByRole('table', { name: 'Deliveries' });
    await expect(table.locator('.drow[data-id]')).toHaveCount(3);
    await page.getByLabel('Outcome').selectOption('rejected');
    await expect(table.locator('.drow[data-id]')).toHaveCount(1);
    await table.locator('.drow[data-id="2"]').click();
    await expect(page.getByRole('heading', { name: 'Delivery #2' })).toBeVisible();
    await expect(page).toHaveURL(/#deliveries\?outcome=rejected&open=2$/);

    // Reloaded: the same filter, the same delivery open.
    await page.reload();
    await expect(page.getByLabel('Outcome')).toHaveValue('rejected');
    await expect(table.locator('.drow[data-id]')).toHaveCount(1);
    await expect(page.getByRole('heading', { name: 'Delivery #2' })).toBeVisible();

    // A teammate on the same server opens the link (with their own access).
    const shared = new URL(page.url());
    const teammate = await browser.newPage({ viewport: { width, height: 900 } });
    await teammate.goto(`${serve.ui}${shared.hash}`);
    await expect(teammate.getByLabel('Outcome')).toHaveValue('rejected');
    await expect(teammate.getByRole('heading', { name: 'Delivery #2' })).toBeVisible();
    await teammate.close();

    // An address pasted over this one: its filters show in the boxes, and the closed detail leaves the address.
    await page.evaluate(() => (location.hash = '#deliveries?event=pin&q=awesome'));
    await expect(page.getByLabel('Event')).toHaveValue('pin');
    await expect(page.getByLabel('Search deliveries')).toHaveValue('awesome');
    await expect(page.getByLabel('Outcome')).toHaveValue('');
    await expect(table.locator('.drow[data-id]')).toHaveCount(1);
    await expect(table.locator('.drow[data-id="3"]')).toBeVisible();
    await expect(page.getByText('Pick a delivery')).toBeVisible();

    // Another page and back keeps the view.
    await page.getByRole('button', { name: 'Packages' }).click();
    await expect(page).toHaveURL(/#packages$/);
    await page.getByRole('button', { name: 'Deliveries' }).click();
    await expect(page).toHaveURL(/#deliveries\?event=pin&q=awesome$/);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBe(0);
  });
}
