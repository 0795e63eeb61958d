import { test, expect } from './fixtures';
import { addPackage, githubHeaders, post, shoot, tagPush } from './helpers';

test('deliveries are deleted from the list by filter and one by one, keeping what a release links to until asked', async ({ page, serve }) => {
  const widgets = await addPackage(serve, 'octo/widgets', '4242');
  for (let i = 0; i < 3; i++) {
    const forged = tagPush(4242, `v6.6.${i}`);
    expect((await post(widgets.hookUrl, forged, githubHeaders('push', forged, 'a stale secret'))).status).toBe(403);
  }
  const body = tagPush(4242, 'v1.0.0');
  const accepted = (await (await post(widgets.hookUrl, body, githubHeaders('push', body, widgets.secret))).json()) as { delivery: number };

  await page.setViewportSize({ width: 1400, height: 800 });
  await page.goto(`${serve.ui}`);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Deliveries' }).click();
  const count = page.getByTestId('delivery-count');
  await expect(count).toHaveText('4 deliveries');

  await page.getByLabel('Outcome').selectOption('rejected');
  await expect(count).toHaveText('3 deliveries');
  await page.getByRole('button', { name: 'Delete matching…' }).click();
  await expect(page.getByTestId('delete-plan')).toContainText('Would delete 3 of 3 deliveries.');
  await shoot(page, 'delivery-delete');
  await page.getByRole('button', { name: 'Delete 3' }).click();
  await expect(page.getByTestId('delete-done')).toHaveText('Deleted 3 of 3 deliveries.');
  await expect(count).toHaveText('0 deliveries');

  await page.getByRole('button', { name: 'Clear filters' }).click();
  await expect(count).toHaveText('1 delivery');
  const table = page.getByRole('table', { name: 'Deliveries' });
  await table.locator(`.drow[data-id="${accepted.delivery}"]`).click();
  await expect(page.getByRole('heading', { name: `Delivery #${accepted.delivery}` })).toBeVisible();
  await page.getByRole('button', { name: 'Delete', exact: true }).click();
  await page.getByRole('button', { name: 'Click again to delete' }).click();
  await expect(page.getByTestId('delete-linked')).toContainText('Kept: A release records this delivery');
  await expect(count).toHaveText('1 delivery');
  await page.getByRole('button', { name: 'Delete it anyway' }).click();
  await expect(count).toHaveText('0 deliveries');
  await expect(page.getByRole('heading', { name: `Delivery #${accepted.delivery}` })).toHaveCount(0);
});
