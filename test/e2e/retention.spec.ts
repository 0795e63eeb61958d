import { test, expect } from './fixtures';
import { addPackage, api, githubHeaders, post, shoot, tagPush } from './helpers';

const branchPush = (repoId: number, n: number) => JSON.stringify({ ref: 'refs/heads/main', after: `${n}`.padStart(40, 'a'), repository: { id: repoId, full_name: 'octo/widgets' }, commits: [] });

test('a delivery marked Keep outlives the retention policy, and the Storage page shows what the next prune removes', async ({ page, serve }) => {
  const widgets = await addPackage(serve, 'octo/widgets', '4242');
  const ids: number[] = [];
  for (let i = 0; i < 3; i++) {
    const body = branchPush(4242, i);
    const res = await post(widgets.hookUrl, body, githubHeaders('push', body, widgets.secret));
    ids.push(((await res.json()) as { delivery: number }).delivery);
  }
  const body = tagPush(4242, 'v1.0.0');
  expect((await post(widgets.hookUrl, body, githubHeaders('push', body, widgets.secret))).status).toBe(202);

  await page.setViewportSize({ width: 1400, height: 800 });
  await page.goto(serve.ui);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Deliveries' }).click();
  await page.getByRole('table', { name: 'Deliveries' }).locator(`.drow[data-id="${ids[0]}"]`).click();
  const keep = page.getByTestId('keep-toggle');
  await expect(keep).toHaveText('Keep');
  await keep.click();
  await expect(keep).toHaveText('Kept');
  await expect(keep).toHaveAttribute('aria-pressed', 'true');
  await shoot(page, 'delivery-keep');

  await api(serve, 'retention.set', { scope: 'package', id: widgets.id, maxDeliveries: 1 });
  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Storage' }).click();
  await page.getByRole('button', { name: 'Refresh' }).click();
  await expect(page.getByTestId('retention-global')).toHaveText('keep forever');
  await expect(page.getByTestId('retention-next')).toContainText('2 deliveries and messages');
  await expect(page.getByTestId('retention-next')).toContainText('1 past the policy kept');
  await expect(page.getByRole('table', { name: 'What the next prune removes' })).toContainText('package octo/widgets');
  await page.getByRole('region', { name: 'Retention' }).scrollIntoViewIfNeeded();
  await shoot(page, 'storage-retention');

  await api(serve, 'retention.prune', {});
  await page.getByRole('button', { name: 'Refresh' }).click();
  await expect(page.getByTestId('retention-next')).toContainText('nothing');
  await expect(page.getByTestId('storage-deliveries')).toContainText('2');
});
