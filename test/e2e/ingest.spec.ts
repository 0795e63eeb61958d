import type { Page } from '@playwright/test';
import { test, expect, tagPush, sendGitHub, SCREENSHOTS } from './fixtures';

/** Adds octo/widgets (repo id 4242) through the form and reads the once-shown URL and secret. */
async function addPackageInUi(page: Page): Promise<{ hookUrl: string; secret: string }> {
  await page.getByRole('button', { name: 'Add package' }).click();
  await page.getByLabel('Repository', { exact: true }).fill('octo/widgets');
  await page.getByLabel('Repository id').fill('4242');
  await page.getByRole('form', { name: 'Add package' }).getByRole('button', { name: 'Add package' }).click();
  const hookUrl = (await page.getByTestId('created-hook-url').textContent())!;
  const secret = (await page.getByTestId('created-secret').textContent())!;
  await page.getByRole('button', { name: 'Done' }).click();
  return { hookUrl, secret };
}

test('a vendor adds a package, pushes a tag and watches the checked release appear live', async ({ page, serve }) => {
  await page.goto(serve.ui);
  await expect(page.getByText('No packages yet')).toBeVisible();
  await expect(page).not.toHaveURL(/token=/);

  await page.getByRole('button', { name: 'Add package' }).click();
  await page.getByLabel('Repository', { exact: true }).fill('octo/widgets');
  await page.getByLabel('Repository id').fill('4242');
  await page.getByRole('form', { name: 'Add package' }).getByRole('button', { name: 'Add package' }).click();
  const secret = (await page.getByTestId('created-secret').textContent())!;
  const hookUrl = (await page.getByTestId('created-hook-url').textContent())!;
  expect(secret).toMatch(/^[0-9a-f]{64}$/);
  expect(hookUrl.startsWith(serve.receiver + '/hooks/')).toBe(true);
  await page.screenshot({ path: `${SCREENSHOTS}/package-created.png` });
  await page.getByRole('button', { name: 'Done' }).click();
  await expect(page.getByRole('list', { name: 'Packages' })).toContainText('unregistered');

  expect((await sendGitHub(hookUrl, 'push', tagPush(4242, 'v1.4.2'), secret)).status).toBe(202);
  expect((await sendGitHub(hookUrl, 'push', tagPush(4242, 'v1.5.0-rc.1'), secret)).status).toBe(202);
  const releases = page.getByRole('table', { name: 'Releases' });
  await expect(releases).toContainText('v1.4.2');
  await expect(releases).toContainText('v1.5.0-rc.1');
  await releases.getByText('v1.5.0-rc.1').click();
  const quality = page.getByRole('table', { name: 'Quality of v1.5.0-rc.1' });
  await expect(quality).toContainText('prerelease-flagged');
  await expect(quality).toContainText('Prerelease (rc.1)');
  // The latest is the highest stable version, not the newest tag.
  await expect(page.getByRole('list', { name: 'Packages' })).toContainText('latest v1.4.2');
});

test('a developer opens a rejected delivery and reads why its signature failed', async ({ page, serve }) => {
  await page.goto(serve.ui);
  const { hookUrl } = await addPackageInUi(page);

  expect((await sendGitHub(hookUrl, 'push', tagPush(4242, 'v2.0.0'), 'a stale secret')).status).toBe(403);
  await page.getByRole('button', { name: 'Deliveries' }).click();
  const rows = page.getByRole('table', { name: 'Deliveries' });
  await expect(rows).toContainText('rejected');
  await rows.getByText('rejected').click();
  await expect(page.getByTestId('verdict-reason')).toContainText('X-Hub-Signature-256 does not match the body');

  await page.getByRole('button', { name: 'Activity' }).click();
  await expect(page.getByRole('list', { name: 'Activity' })).toContainText('Signature invalid');
});

test('hostile payloads render as inert text', async ({ page, serve }) => {
  await page.goto(serve.ui);
  const { hookUrl, secret } = await addPackageInUi(page);

  const hostile = JSON.stringify({
    zen: '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>',
    repository: { id: 4242 },
    filler: 'x'.repeat(300_000),
  });
  expect((await sendGitHub(hookUrl, 'ping', hostile, secret)).status).toBe(200);
  await page.getByRole('button', { name: 'Deliveries' }).click();
  await page.getByRole('table', { name: 'Deliveries' }).getByText('ping', { exact: true }).first().click();
  await page.getByRole('tab', { name: 'raw' }).click();
  await expect(page.locator('pre.body')).toContainText('<img src=x onerror=');
  expect(await page.evaluate(() => (globalThis as { __pwned?: number }).__pwned)).toBeUndefined();
  expect(await page.locator('pre.body img, pre.body script').count()).toBe(0);
});
