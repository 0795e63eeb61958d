import { test, expect } from './fixtures';
import { addPackage, post } from './helpers';

test("a refused request's page says only the first bytes of its body were kept", async ({ page, serve }) => {
  const pkg = await addPackage(serve);
  const body = JSON.stringify({ zen: 'x'.repeat(200 * 1024), repository: { id: 4242 } });
  const res = await post(pkg.hookUrl, body, { 'content-type': 'application/json', 'x-github-event': 'push' });
  expect(res.status).toBe(403);

  await page.goto(serve.ui);
  await page.getByRole('button', { name: 'Deliveries' }).click();
  await page.getByRole('table', { name: 'Deliveries' }).locator('.drow[data-id="1"]').click();
  await expect(page.getByRole('heading', { name: 'Delivery #1' })).toBeVisible();
  await expect(page.getByTestId('body-truncated')).toHaveText(/Only the first 64(\.0)? KiB of 200(\.\d)? KiB were kept: the request was refused\./);
  const section = page.getByRole('region', { name: 'Body' });
  await section.scrollIntoViewIfNeeded();
  await page.screenshot({ path: test.info().outputPath('refused-body.png') });
});
