import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, expect } from './fixtures';
import { addPackage, githubHeaders, post, shoot, tagPush } from './helpers';

test('the Storage page shows what the data dir holds and takes a backup while serving', async ({ page, serve }) => {
  const widgets = await addPackage(serve, 'octo/widgets', '4242');
  for (const tag of ['v1.0.0', 'v1.1.0']) {
    const body = tagPush(4242, tag);
    expect((await post(widgets.hookUrl, body, githubHeaders('push', body, widgets.secret))).status).toBe(202);
  }
  const forged = tagPush(4242, 'v6.6.6');
  expect((await post(widgets.hookUrl, forged, githubHeaders('push', forged, 'a stale secret'))).status).toBe(403);

  await page.setViewportSize({ width: 1400, height: 800 });
  await page.goto(serve.ui);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Storage' }).click();
  await page.getByRole('button', { name: 'Refresh' }).click();
  await expect(page.getByTestId('storage-deliveries')).toContainText('3');
  await expect(page.getByTestId('storage-deliveries')).toContainText('rejected 1');
  await expect(page.getByTestId('storage-free')).toContainText('of');
  await expect(page.getByTestId('storage-last-backup')).toContainText('No backup recorded yet');

  const dir = mkdtempSync(join(tmpdir(), 'hookbench-backup-'));
  try {
    const file = join(dir, 'hookbench-backup.sqlite');
    await page.getByLabel('Backup file (absolute path, must not exist)').fill(file);
    await page.getByRole('button', { name: 'Back up now' }).click();
    const written = page.getByRole('list', { name: 'Backup written' });
    await expect(written).toContainText(`Written to ${file}`);
    await expect(written).toContainText('keep secret.key from');
    await expect(page.getByTestId('storage-last-backup')).toContainText(file);
    await shoot(page, 'storage');

    // A second backup to the same file is refused, and says why.
    await page.getByRole('button', { name: 'Back up now' }).click();
    await expect(page.getByText('already exists; a backup never overwrites a file')).toBeVisible();
    await page.setViewportSize({ width: 800, height: 800 });
    await shoot(page, 'storage-narrow');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
